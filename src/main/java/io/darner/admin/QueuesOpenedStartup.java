package io.darner.admin;

import io.darner.queue.QueueRepository;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Startup;

/**
 * Startup: the repository has opened the store and recovered its queues. The repository does all
 * of that when it is built, before the listener starts, so an answer at all means it is done.
 */
@Startup
@ApplicationScoped
public class QueuesOpenedStartup implements HealthCheck {
    private final QueueRepository repo;

    public QueuesOpenedStartup(QueueRepository repo) {
        this.repo = repo;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("queues-opened").status(repo.isStoreOpen())
                .withData("queues", repo.queueCount()).build();
    }
}
