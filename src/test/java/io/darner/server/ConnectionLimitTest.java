package io.darner.server;

import io.darner.testing.MemcacheClient;
import io.darner.testing.TempDataDir;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import static io.darner.server.LimitsProfile.IDLE_TIMEOUT_MS;
import static io.darner.server.LimitsProfile.MAX_CONNECTIONS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The connection limit and the idle timeout ({@link LimitsProfile}: 20 connections, 2 s): one
 * connection too many is told {@code SERVER_ERROR too many connections} and closed, a freed slot
 * is served again, an idle connection is closed (its open reads roll back) and a busy one is not.
 */
@QuarkusTest
@TestProfile(LimitsProfile.class)
@QuarkusTestResource(TempDataDir.class)
class ConnectionLimitTest extends ServerTestBase {

    @Test
    void oneConnectionTooManyIsRefusedAndAFreedSlotIsServedAgain() throws Exception {
        List<MemcacheClient> held = new ArrayList<>();
        for (int i = 0; i < MAX_CONNECTIONS; i++) {
            MemcacheClient c = connect();
            assertAlive(c);
            held.add(c);
        }
        for (int i = 0; i < 3; i++) {
            MemcacheClient refused = new MemcacheClient(listener.port());
            assertEquals("SERVER_ERROR too many connections", refused.readLine());
            assertTrue(refused.isClosedByServer());
            refused.close();
        }
        held.forEach(c -> {
            try {
                assertAlive(c);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });

        MemcacheClient last = held.get(MAX_CONNECTIONS - 1);
        last.close();
        MemcacheClient again = Awaitility.await("the freed slot is served") // the server notices the close a moment later
                .atMost(Duration.ofMillis(SETTLE_MS)).pollInSameThread().pollInterval(Duration.ofMillis(20))
                .until(this::servedConnection, Objects::nonNull);
        assertEquals("STORED", again.set(q, "a"));
        assertEquals("a", again.get(q));
        again.close();
    }

    @Test
    void anIdleConnectionIsClosedAndItsOpenReadRollsBackWhileABusyOneStays() throws Exception {
        fill(q, "a");
        MemcacheClient idle = connect();
        assertEquals("a", idle.get(q + "/open"));
        MemcacheClient busy = connect();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(IDLE_TIMEOUT_MS + SETTLE_MS);
        idle.setTimeout((int) (IDLE_TIMEOUT_MS / 4)); // how long each look for the close waits: busy speaks between
        do {
            assertAlive(busy);
            assertTrue(System.nanoTime() < deadline, "an idle connection is closed");
        } while (!idle.isClosedByServer());
        idle.setTimeout(1000);
        assertTrue(idle.isClosedByServer(), "an idle connection is closed");
        busy.setTimeout(200); // waiting longer would make it idle
        assertFalse(busy.isClosedByServer(), "a connection in use is not");
        assertEquals("a", busy.get(q), "the idle connection's open read went back to the queue");
    }

    /** A new connection if the server serves it; null, closed, while it refuses it. */
    private MemcacheClient servedConnection() throws IOException {
        MemcacheClient c = new MemcacheClient(listener.port());
        c.setTimeout(200);
        try {
            if (c.call("version").startsWith("VERSION ")) {
                return c;
            }
        } catch (IOException refusedStill) {
            // the slot was not free yet
        }
        c.close();
        return null;
    }
}
