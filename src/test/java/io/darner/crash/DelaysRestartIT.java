package io.darner.crash;

import io.darner.testing.MemcacheClient;
import io.darner.testing.ServerProcess;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Delays and leases (issue 14) across a restart of the packaged server, stopped cleanly (SIGTERM)
 * or killed (SIGKILL): a delayed set stays delayed and falls due in order; an open read, leased
 * with touch or aborted with a delay, is an item again at once, as any open read.
 */
class DelaysRestartIT {
    @TempDir
    Path dataDir;
    private ServerProcess server;

    @AfterEach
    void killServer() throws InterruptedException {
        if (server != null && server.isAlive()) {
            server.kill();
        }
    }

    private void restart(boolean killed) throws IOException, InterruptedException {
        if (killed) {
            server.kill();
        } else {
            assertEquals(0, server.stop(), "a clean stop exits 0");
        }
        server = ServerProcess.start(dataDir);
    }

    @ParameterizedTest(name = "killed: {0}")
    @ValueSource(booleans = {false, true})
    @Timeout(120)
    void aDelayedSetIsStillDelayedAfterARestartAndFallsDueInOrder(boolean killed) throws Exception {
        server = ServerProcess.start(dataDir);
        try (MemcacheClient c = new MemcacheClient(server.port())) {
            assertEquals("STORED", c.set("jobs/delay=16000", "later"));
            assertEquals("STORED", c.set("jobs/sync/delay=15000", "sooner"));
            assertEquals("STORED", c.set("jobs", "now"));
        }

        restart(killed);

        try (MemcacheClient c = new MemcacheClient(server.port())) {
            assertEquals(2, c.queueStats("jobs").get("delayed"), "still delayed after the restart");
            assertEquals("now", c.get("jobs"));
            assertNull(c.get("jobs"), "nothing due yet");
            c.setTimeout(30_000);
            assertEquals("sooner", c.get("jobs/t=20000"));
            assertEquals("later", c.get("jobs/t=20000"));
            assertEquals(0, c.queueStats("jobs").get("delayed"));
        }
        assertEquals(0, server.stop());
    }

    @ParameterizedTest(name = "killed: {0}")
    @ValueSource(booleans = {false, true})
    @Timeout(120)
    void anItemThatFellDueWhileTheServerWasDownIsThereAtStart(boolean killed) throws Exception {
        server = ServerProcess.start(dataDir);
        try (MemcacheClient c = new MemcacheClient(server.port())) {
            assertEquals("STORED", c.set("jobs/delay=1", "due"));
            assertEquals("STORED", c.set("jobs/delay=600000", "not yet"));
        }

        restart(killed);

        try (MemcacheClient c = new MemcacheClient(server.port())) {
            assertEquals("due", c.get("jobs"));
            assertNull(c.get("jobs"));
            assertEquals(1, c.queueStats("jobs").get("delayed"));
        }
        assertEquals(0, server.stop());
    }

    @ParameterizedTest(name = "killed: {0}")
    @ValueSource(booleans = {false, true})
    @Timeout(120)
    void leasedAndHeldReadsAreItemsAgainAtOnce(boolean killed) throws Exception {
        server = ServerProcess.start(dataDir);
        try (MemcacheClient producer = new MemcacheClient(server.port());
             MemcacheClient consumer = new MemcacheClient(server.port())) {
            for (String item : new String[] {"held", "leased", "rest"}) {
                assertEquals("STORED", producer.set("jobs", item));
            }
            assertEquals("held", consumer.get("jobs/open"));
            assertEquals("END", consumer.call("get jobs/abort/delay=600000"));
            assertEquals("leased", consumer.get("jobs/open"));
            assertEquals("TOUCHED", consumer.call("touch jobs 600"));
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> producer.queueStats("jobs").get("delayed") == 1);

            restart(killed);
        }

        try (MemcacheClient c = new MemcacheClient(server.port())) {
            assertEquals(0, c.queueStats("jobs").get("delayed"), "a held read is not kept across a restart");
            assertEquals(3, c.queueStats("jobs").get("items"));
            assertEquals("held", c.get("jobs"));
            assertEquals("leased", c.get("jobs"));
            assertEquals("rest", c.get("jobs"));
            assertNull(c.get("jobs"));
        }
        assertEquals(0, server.stop());
    }
}
