package io.darner.admin;

import io.darner.queue.QueueRepository;
import io.darner.queue.ServerStatus;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness: the server status is not quiescent. A quiescent server refuses gets, so it must
 * leave the load balancer's rotation; readonly still serves consumers and stays ready.
 */
@Readiness
@ApplicationScoped
public class StatusReadiness implements HealthCheck {
    private final QueueRepository repo;

    public StatusReadiness(QueueRepository repo) {
        this.repo = repo;
    }

    @Override
    public HealthCheckResponse call() {
        ServerStatus status = repo.status();
        return HealthCheckResponse.named("server-status").status(status.allowsReads())
                .withData("status", status.word()).build();
    }
}
