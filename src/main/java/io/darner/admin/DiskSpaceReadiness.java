package io.darner.admin;

import io.darner.config.DarnerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Readiness: the data volume has more free space than {@code darner.min-free-disk}. */
@Readiness
@ApplicationScoped
public class DiskSpaceReadiness implements HealthCheck {
    static final String NAME = "disk-space";

    private final Path dataDir;
    private final long minFree;

    public DiskSpaceReadiness(DarnerConfig config) {
        this.dataDir = config.dataDir();
        this.minFree = config.minFreeDisk().asLongValue();
    }

    @Override
    public HealthCheckResponse call() {
        try {
            long free = Files.getFileStore(dataDir).getUsableSpace();
            return HealthCheckResponse.named(NAME).status(free >= minFree)
                    .withData("freeBytes", free).withData("minFreeBytes", minFree).build();
        } catch (IOException e) {
            return HealthCheckResponse.named(NAME).down().withData("error", e.getMessage()).build();
        }
    }
}
