package io.darner.admin;

import io.darner.queue.QueueRepository;
import io.darner.queue.StoreWriteFailure;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import java.time.Instant;

/**
 * Readiness: the store holding every queue is open, and no write failed in the last
 * {@link #RECENT_FAILURE_MS} (a full disk or an I/O error: the server answers SERVER_ERROR to
 * writes, so it should leave the rotation until the fault clears).
 */
@Readiness
@ApplicationScoped
public class StoreReadiness implements HealthCheck {
    private final QueueRepository repo;

    public StoreReadiness(QueueRepository repo) {
        this.repo = repo;
    }

    static final long RECENT_FAILURE_MS = 30_000;

    @Override
    public HealthCheckResponse call() {
        StoreWriteFailure failure = repo.lastStoreWriteFailure();
        // the store stamps its failures with the system's time, not the queues' clock: compare like with like
        boolean recentFailure = failure != null && System.currentTimeMillis() - failure.atMs() < RECENT_FAILURE_MS;
        HealthCheckResponseBuilder response = HealthCheckResponse.named("store")
                .status(repo.isStoreOpen() && !recentFailure);
        if (failure != null) {
            response.withData("lastWriteFailure", failure.reason())
                    .withData("lastWriteFailureAt", Instant.ofEpochMilli(failure.atMs()).toString());
        }
        java.util.List<String> damaged = repo.damagedQueues();
        if (!damaged.isEmpty()) {
            // a damaged queue serves nothing, the others are served: reported, not a reason to leave the rotation
            response.withData("damagedQueues", String.join(",", damaged));
        }
        return response.build();
    }
}
