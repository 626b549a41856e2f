package io.darner.fleet;

import io.darner.testing.Executables;
import io.darner.testing.MemcacheClient;
import io.darner.testing.ServerProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The preStop and postStart hooks of {@code deploy/hooks}, run by bash as the kubelet runs them
 * (with the container's environment), against the packaged server stopped and started as a pod's
 * container is. (Here rather than in {@code io.darner.deploy}, whose tests run without a packaged
 * server: {@code -Dtest='io.darner.deploy.**'} would take an IT there into the unit tests.)
 */
class PodHooksIT {
    private static final Path HOOKS = Path.of("deploy/hooks");
    private static final String QUEUE = "hooks";

    @TempDir
    Path dataDir;
    private ServerProcess server;

    @AfterEach
    void killServer() throws InterruptedException {
        if (server != null && server.isAlive()) {
            server.kill();
        }
    }

    /**
     * The status is kept across restarts and a quiescent server is not ready: without the
     * postStart, every server a rolling restart stopped would come back quiescent and the
     * rollout would wait for it forever. A status set on purpose survives the restart.
     */
    @ParameterizedTest
    @ValueSource(strings = {"up", "readonly"})
    @Timeout(120)
    void aRestartThroughTheHooksKeepsTheStatusTheServerHad(String status) throws Exception {
        server = ServerProcess.start(dataDir);
        assertEquals("END", call("status " + status));

        assertHookSucceeds("pre-stop.sh");
        assertEquals("quiescent", call("status"), "the preStop stops new work");
        server.stop(); // the kubelet's SIGTERM after the preStop
        server = ServerProcess.start(dataDir);
        assertEquals("quiescent", call("status"), "kept across the restart");

        assertHookSucceeds("post-start.sh");
        assertEquals(status, call("status"), "the postStart put back the status from before the stop");
        assertFalse(Files.exists(savedStatusFile()), "nothing left to put back next time");
    }

    @Test
    @Timeout(120)
    void duringTheDrainAConsumerConfirmsTheItemItHolds() throws Exception {
        server = ServerProcess.start(dataDir);
        try (MemcacheClient consumer = new MemcacheClient(server.port())) {
            assertEquals("STORED", consumer.set(QUEUE, "work"));
            assertEquals("work", consumer.get(QUEUE + "/open"));

            assertHookSucceeds("pre-stop.sh");
            assertNull(consumer.get(QUEUE + "/close"), "the confirm is taken while quiescent");
            assertTrue(consumer.call("get " + QUEUE + "/open").startsWith("SERVER_ERROR"), "no new work");
        }
        server.stop();
        server = ServerProcess.start(dataDir);
        assertHookSucceeds("post-start.sh");
        try (MemcacheClient client = new MemcacheClient(server.port())) {
            assertNull(client.get(QUEUE), "the confirmed item is not delivered again");
        }
    }

    @Test
    @Timeout(60)
    void aStartWithoutAStopBeforeItLeavesTheStatusAlone() throws Exception {
        server = ServerProcess.start(dataDir);
        assertEquals("END", call("status readonly")); // draining, say, when the node died
        server.kill();
        server = ServerProcess.start(dataDir);
        assertHookSucceeds("post-start.sh");
        assertEquals("readonly", call("status"));
    }

    @Test
    @Timeout(60)
    void thePreStopOfAServerThatIsDownEndsAtOnce() throws Exception {
        server = ServerProcess.start(dataDir);
        int port = server.port();
        server.kill();
        Executables.Result result = hook("pre-stop.sh", port, "600");
        assertTrue(result.ok(), "pre-stop.sh: " + result);
        assertFalse(Files.exists(savedStatusFile()), "no status saved for a server that did not answer");
    }

    private String call(String line) throws IOException {
        try (MemcacheClient client = new MemcacheClient(server.port())) {
            return client.call(line);
        }
    }

    private void assertHookSucceeds(String script) throws IOException, InterruptedException {
        Executables.Result result = hook(script, server.port(), "0");
        assertTrue(result.ok(), script + ": " + result);
    }

    /** Runs a hook with the container's environment as the manifests set it, but this server's port and directory. */
    private Executables.Result hook(String script, int port, String drainSeconds) throws IOException, InterruptedException {
        Map<String, String> env = Map.of("DARNER_PORT", Integer.toString(port), "DARNER_DATA_DIR", dataDir.toString(),
                "DARNER_DRAIN_SECONDS", drainSeconds, "DARNER_START_SECONDS", "30");
        return Executables.run(List.of("bash", HOOKS.resolve(script).toString()), env, 60);
    }

    private Path savedStatusFile() {
        return dataDir.resolve(".darner-status-before-stop");
    }
}
