package io.darner.deploy;

import io.darner.testing.MemcacheClient;
import io.darner.testing.ServerProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's start script ({@code target/quarkus-app/darner}): it starts the server, the first
 * graceful stop writes the class-data-sharing archive, and the next start maps it (the file is in
 * the process's memory map) and serves what the first run stored.
 */
class StartScriptIT {
    @TempDir
    Path dataDir;
    @TempDir
    Path archiveDir;
    private ServerProcess server;

    @AfterEach
    void killServer() throws InterruptedException {
        if (server != null && server.isAlive()) {
            server.kill();
        }
    }

    @Test
    @Timeout(180)
    void theStartScriptRunsTheServerAndItsSecondStartMapsTheClassArchive() throws Exception {
        Path archive = archiveDir.resolve("app-cds.jsa");
        server = start(archive);
        assertFalse(Files.exists(archive), "no archive before the first stop");
        try (MemcacheClient c = new MemcacheClient(server.port())) {
            assertEquals("STORED", c.set("jobs", "one"));
        }
        assertEquals(0, server.stop(), server.log());
        assertTrue(Files.size(archive) > 0, "the first graceful stop wrote the archive");

        server = start(archive);
        String maps = Files.readString(Path.of("/proc", Long.toString(server.pid()), "maps"));
        assertTrue(maps.contains(archive.toString()), "the second start maps " + archive);
        try (MemcacheClient c = new MemcacheClient(server.port())) {
            assertEquals("one", c.get("jobs"));
        }
        assertEquals(0, server.stop(), server.log());
    }

    private ServerProcess start(Path archive) throws Exception {
        return new ServerProcess.Options(dataDir).startScript().env("DARNER_CDS_ARCHIVE", archive.toString()).start();
    }
}
