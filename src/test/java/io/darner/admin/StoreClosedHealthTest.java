package io.darner.admin;

import io.darner.queue.QueueRepository;
import io.darner.queue.Repositories;
import io.darner.testing.TempDataDir;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Closing the store in the shared test app would break every later test: this uses a repository of its own. */
class StoreClosedHealthTest {

    @Test
    void aClosedStoreIsNotReadyNorStarted() throws Exception {
        Path dir = Files.createTempDirectory("darner-health-");
        try {
            QueueRepository repo = Repositories.open(dir);
            StoreReadiness ready = new StoreReadiness(repo);
            QueuesOpenedStartup started = new QueuesOpenedStartup(repo);
            assertEquals(HealthCheckResponse.Status.UP, ready.call().getStatus());
            assertEquals(HealthCheckResponse.Status.UP, started.call().getStatus());

            Repositories.close(repo);
            assertEquals(HealthCheckResponse.Status.DOWN, ready.call().getStatus());
            assertEquals(HealthCheckResponse.Status.DOWN, started.call().getStatus());
        } finally {
            TempDataDir.deleteTree(dir);
        }
    }
}
