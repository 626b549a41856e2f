package io.darner.server;

import io.darner.testing.MemcacheClient;
import io.darner.testing.TempDataDir;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The per-queue stats of spec 6 after scripted traffic of the parity features, by dump_stats and stats. */
@QuarkusTest
@TestProfile(ParityProfile.class)
@QuarkusTestResource(TempDataDir.class)
class ParityStatsTest extends ParityTestBase {
    private static final List<String> QUEUE_FIELDS = List.of("items", "bytes", "total_items", "logsize",
            "expired_items", "mem_items", "mem_bytes", "age", "discarded", "waiters", "open_transactions",
            "transactions", "canceled_transactions", "total_flushes", "delayed");

    @Test
    void dumpStatsListsEveryFieldInSpecOrderAndStatsTheSameFigures() throws Exception {
        fill(q, "abc");
        List<String> lines = dumpStats(q);
        assertEquals("queue '" + q + "' {", lines.get(0));
        assertEquals("}", lines.get(lines.size() - 1));
        List<String> body = lines.subList(1, lines.size() - 1);
        assertEquals(QUEUE_FIELDS, body.stream().map(line -> line.strip().split("=")[0]).toList());
        assertTrue(body.stream().allMatch(line -> line.matches("  [a-z_]+=\\d+")), String.join("\n", body));

        Map<String, String> stats = stats();
        for (Map.Entry<String, Long> field : queueStats(q).entrySet()) {
            if (!field.getKey().equals("logsize")) { // the store's estimate may move between two requests
                assertEquals(Long.toString(field.getValue()), stats.get("queue_" + q + "_" + field.getKey()),
                        field.getKey());
            }
        }
    }

    @Test
    void transactionsAndCanceledTransactionsCountEveryWayAnOpenReadEnds() throws Exception {
        fillPipelined(q, "i", 6);
        MemcacheClient c = connect();
        assertEquals("i0", c.get(q + "/open"));
        assertNull(c.get(q + "/close")); // confirmed
        assertEquals("i1", c.get(q + "/open"));
        assertNull(c.get(q + "/abort")); // canceled
        c.send("monitor " + q + " 1 2\r\n");
        assertEquals(2, c.readItems().size()); // i1, i2
        assertEquals("END", c.call("confirm " + q + " 1")); // i1 confirmed
        disconnect(c); // i2 canceled
        MemcacheClient plain = connect();
        assertEquals("i2", plain.get(q)); // a plain get is no transaction
        assertEquals("i3", plain.get(q + "/peek")); // nor a peek

        assertQueue(q, "transactions", 4, "canceled_transactions", 2, "open_transactions", 0, "items", 3,
                "total_items", 6, "total_flushes", 0);
    }

    @Test
    void totalFlushesCountsEveryFlushOfTheQueue() throws Exception {
        fill(q, "a");
        MemcacheClient c = connect();
        assertEquals("END", c.call("flush " + q));
        assertEquals("END", c.call("flush " + q));
        assertEquals("Flushed all queues.", c.call("flush_all"));
        assertQueue(q, "total_flushes", 3, "items", 0, "total_items", 1);
    }

    @Test
    void ageIsHowLongTheLastTakenItemWaitedAndZeroWhenEmpty() throws Exception {
        fill(q, "old");
        clock.advanceMillis(300);
        fill(q, "new");
        assertEquals("old", connect().get(q));
        long age = queueStat(q, "age");
        assertTrue(age >= 300 && age < 60_000, "age " + age);
        assertDrains(q, "new");
        assertEquals(0, queueStat(q, "age"));
    }

    @Test
    void expiredDiscardedAndWaitersAreCounted() throws Exception {
        MemcacheClient waiter = connect();
        waiter.send("get " + q + "/t=10000\r\n");
        awaitQueueStat(q, "waiters", 1);
        setExpiring(q, -1, "expired");
        assertQueue(q, "waiters", 1, "expired_items", 1, "items", 0);
        fill(q, "served");
        assertEquals("served", waiter.readItem().text());
        assertQueue(q, "waiters", 0, "expired_items", 1, "discarded", 0, "total_items", 2);
    }
}
