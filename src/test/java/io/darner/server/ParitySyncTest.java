package io.darner.server;

import io.darner.testing.MemcacheClient;
import io.darner.testing.TempDataDir;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.darner.server.ParityProfile.SYNCED;
import static io.darner.server.ParityProfile.SYNCED_MANY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** A queue with sync=always (spec 5, 8): STORED after fsync, which is only observable as working. */
@QuarkusTest
@TestProfile(ParityProfile.class)
@QuarkusTestResource(TempDataDir.class)
class ParitySyncTest extends ParityTestBase {
    private static final int CONNECTIONS = 20;
    private static final int SETS_EACH = 10;

    @Test
    void setsAndConfirmsOfASyncedQueueAreAnswered() throws Exception {
        MemcacheClient c = connect();
        assertEquals("STORED", c.set(SYNCED, "durable"));
        c.send(MemcacheClient.setRequest(SYNCED, 3, 0, ascii("quiet"), " noreply"));
        assertEquals("durable", c.get(SYNCED + "/open"));
        assertEquals("quiet", c.get(SYNCED + "/close/open"));
        assertNull(c.get(SYNCED + "/close"));
        assertQueue(SYNCED, "items", 0, "total_items", 2, "open_transactions", 0);
    }

    @Test
    void concurrentSetsFromManyConnectionsAllSucceed() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(CONNECTIONS);
        try {
            List<Future<List<String>>> replies = new ArrayList<>();
            for (int conn = 0; conn < CONNECTIONS; conn++) {
                MemcacheClient c = connect();
                int id = conn;
                replies.add(pool.submit(() -> setAll(c, id)));
            }
            for (Future<List<String>> r : replies) {
                assertEquals(List.of(), r.get(60, TimeUnit.SECONDS).stream().filter(s -> !s.equals("STORED")).toList());
            }
        } finally {
            pool.shutdownNow();
        }
        assertQueue(SYNCED_MANY, "items", CONNECTIONS * SETS_EACH, "total_items", CONNECTIONS * SETS_EACH);
        Set<String> expected = new HashSet<>();
        for (int conn = 0; conn < CONNECTIONS; conn++) {
            for (int i = 0; i < SETS_EACH; i++) {
                expected.add(itemName(conn, i));
            }
        }
        List<String> drained = drainAll(SYNCED_MANY);
        assertEquals(CONNECTIONS * SETS_EACH, drained.size());
        assertEquals(expected, new HashSet<>(drained));
    }

    private static List<String> setAll(MemcacheClient c, int conn) throws Exception {
        List<String> replies = new ArrayList<>();
        for (int i = 0; i < SETS_EACH; i++) {
            replies.add(c.set(SYNCED_MANY, itemName(conn, i)));
        }
        return replies;
    }

    private static String itemName(int conn, int i) {
        return "c" + conn + "-" + i;
    }
}
