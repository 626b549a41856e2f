package io.darner.admin;

import io.darner.queue.QueueRepository;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Readiness: the store holding every queue is open. */
@Readiness
@ApplicationScoped
public class StoreReadiness implements HealthCheck {
    private final QueueRepository repo;

    public StoreReadiness(QueueRepository repo) {
        this.repo = repo;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("store").status(repo.isStoreOpen()).build();
    }
}
