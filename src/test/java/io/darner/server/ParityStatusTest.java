package io.darner.server;

import io.darner.testing.MemcacheClient;
import io.darner.testing.TempDataDir;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The server status (spec 7) and the commands of issue 3: monitor, confirm, flush_expired. */
@QuarkusTest
@TestProfile(ParityProfile.class)
@QuarkusTestResource(TempDataDir.class)
class ParityStatusTest extends ParityTestBase {
    private static final String READ_ONLY = "SERVER_ERROR server is read-only";

    /** Sets the status for the duration of {@code body}, then back to up. */
    private void withStatus(String status, ThrowingRunnable body) throws Exception {
        MemcacheClient c = admin();
        assertEquals("END", c.call("status " + status));
        try {
            body.run();
        } finally {
            assertEquals("END", c.call("status up"));
        }
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    void readonlyRefusesFlushingExpiredItemsButServesMonitor() throws Exception {
        setExpiring(q, -1, "expired");
        fill(q, "a");
        MemcacheClient c = connect();
        withStatus("readonly", () -> {
            assertEquals(READ_ONLY, c.call("flush_expired " + q));
            assertEquals(READ_ONLY, c.call("flush_all_expired"));
            c.send("monitor " + q + " 1 1\r\n");
            assertEquals(1, c.readItems().size());
            assertEquals("END", c.call("confirm " + q + " 1"));
        });
        assertDrains(q);
    }

    @Test
    void quiescentRefusesMonitorButLetsMonitoredItemsBeConfirmed() throws Exception {
        fill(q, "a", "b");
        MemcacheClient consumer = connect();
        consumer.send("monitor " + q + " 1 1\r\n");
        assertEquals(List.of("a"), consumer.readItems().stream().map(MemcacheClient.Item::text).toList());
        withStatus("quiescent", () -> {
            assertEquals("SERVER_ERROR server is quiescent", consumer.call("monitor " + q + " 1 1"));
            assertEquals("END", consumer.call("confirm " + q + " 1"));
            assertQueue(q, "open_transactions", 0, "items", 1);
        });
        assertDrains(q, "b");
    }
}
