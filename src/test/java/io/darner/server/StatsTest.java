package io.darner.server;

import io.darner.storage.TestEngine;
import io.darner.testing.MemcacheClient;
import io.darner.testing.TempDataDir;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The stats command (spec 6): every field, in order, and counters that are exact. */
@QuarkusTest
@QuarkusTestResource(TempDataDir.class)
class StatsTest extends ServerTestBase {
    static final List<String> GLOBAL_FIELDS = List.of("uptime", "time", "version", "curr_items", "total_items",
            "bytes", "curr_connections", "total_connections", "cmd_get", "cmd_set", "cmd_peek", "get_hits",
            "get_misses", "bytes_read", "bytes_written", "queue_creates", "queue_deletes", "queue_expires");
    static final List<String> QUEUE_FIELDS = List.of("items", "bytes", "total_items", "logsize", "expired_items",
            "mem_items", "mem_bytes", "age", "discarded", "waiters", "open_transactions", "transactions",
            "canceled_transactions", "total_flushes", "delayed");
    /** After the spec's global figures, before the queues': which LevelDB runs, and the setting that chose it. */
    static final List<String> ENGINE_FIELDS = List.of("store_engine", "store_engine_setting");

    @Test
    void globalFieldsComeInSpecOrderThenEveryQueueSortedByName() throws Exception {
        fill(q + ".b", "x");
        fill(q + ".a", "y");
        Map<String, String> stats = stats();
        List<String> names = new ArrayList<>(stats.keySet());
        assertEquals(GLOBAL_FIELDS, names.subList(0, GLOBAL_FIELDS.size()));
        List<String> queues = new ArrayList<>(perQueue(stats).keySet());
        List<String> sorted = new ArrayList<>(queues);
        sorted.sort(null);
        assertEquals(sorted, queues, "queues sorted by name");
        assertTrue(queues.containsAll(List.of(q + ".a", q + ".b")), queues.toString());
        stats.forEach((name, value) -> {
            // every figure is a counter but the version, the store engine and a fanout parent's list of
            // children, which other tests of the shared server may have created
            if (!name.equals("version") && !name.startsWith("store_engine")
                    && !(name.startsWith("queue_") && name.endsWith("_children"))) {
                assertTrue(value.matches("\\d+"), name + " is not a counter: " + value);
            }
        });
    }

    /** After the spec's figures: which LevelDB runs, and the setting that chose it (this test run's). */
    @Test
    void theStoreEngineAndItsSettingAreNamed() throws Exception {
        Map<String, String> stats = stats();
        List<String> names = new ArrayList<>(stats.keySet());
        assertEquals(ENGINE_FIELDS, names.subList(GLOBAL_FIELDS.size(), GLOBAL_FIELDS.size() + ENGINE_FIELDS.size()));
        assertEquals(TestEngine.chosen().kind().word(), stats.get("store_engine"));
        assertEquals(TestEngine.setting(), stats.get("store_engine_setting"));
    }

    @Test
    void currItemsAndBytesAreTheSumsOverTheQueues() throws Exception {
        fill(q + ".1", "a", "bb", "ccc");
        fill(q + ".2", "dddd");
        MemcacheClient c = connect();
        assertEquals("a", c.get(q + ".1/open")); // open reads are not items
        assertEquals("dddd", c.get(q + ".2"));
        Map<String, String> stats = stats();
        long items = 0;
        long bytes = 0;
        for (Map<String, Long> queue : perQueue(stats).values()) {
            items += queue.get("items");
            bytes += queue.get("bytes");
        }
        assertEquals(items, Long.parseLong(stats.get("curr_items")));
        assertEquals(bytes, Long.parseLong(stats.get("bytes")));
    }

    @Test
    void queueCountersAreExactAfterKnownTraffic() throws Exception {
        fill(q, "aaa", "bb", "c", "dddd");
        assertQueue("items", 4, "bytes", 10, "total_items", 4, "open_transactions", 0, "transactions", 0,
                "canceled_transactions", 0, "total_flushes", 0, "waiters", 0, "expired_items", 0, "discarded", 0,
                "mem_items", 0, "mem_bytes", 0);
        MemcacheClient c = connect();
        assertEquals("aaa", c.get(q));
        assertQueue("items", 3, "bytes", 7, "open_transactions", 0, "transactions", 0);
        assertEquals("bb", c.get(q + "/open"));
        assertQueue("items", 2, "bytes", 5, "open_transactions", 1, "transactions", 1);
        assertNull(c.get(q + "/close"));
        assertQueue("items", 2, "bytes", 5, "open_transactions", 0, "transactions", 1);
        assertEquals("c", c.get(q + "/open"));
        assertNull(c.get(q + "/abort"));
        assertQueue("items", 2, "bytes", 5, "open_transactions", 0, "transactions", 2, "canceled_transactions", 1);
        assertEquals("c", c.get(q + "/open"));
        assertEquals("dddd", c.get(q + "/peek"));
        assertQueue("items", 1, "bytes", 4, "open_transactions", 1, "transactions", 3, "canceled_transactions", 1);
        assertEquals("END", connect().call("flush " + q));
        assertQueue("items", 0, "bytes", 0, "age", 0, "open_transactions", 0, "total_items", 4, "total_flushes", 1);
        MemcacheClient waiter = connect();
        waiter.send("get " + q + "/t=10000\r\n");
        awaitQueueStat(q, "waiters", 1);
        assertEquals("STORED", connect().set(q, "eeeee"));
        assertEquals("eeeee", waiter.readItem().text());
        assertNull(c.get(q + "/close"));
        assertQueue("items", 0, "bytes", 0, "total_items", 5, "waiters", 0, "open_transactions", 0,
                "transactions", 3, "canceled_transactions", 1, "total_flushes", 1, "age", 0);
    }

    @Test
    void globalCountersCountEveryRequest() throws Exception {
        String missing = q + ".missing";
        MemcacheClient c = connect();
        Map<String, String> before = stats();
        for (String item : new String[] {"1", "22", "333"}) {
            assertEquals("STORED", c.set(q, item));
        }
        assertEquals("1", c.get(q));
        assertNull(c.get(missing));
        assertEquals("DELETED", c.call("delete " + missing));
        Map<String, String> after = stats();
        assertDelta(before, after, "cmd_set", 3);
        assertDelta(before, after, "cmd_get", 2);
        assertDelta(before, after, "get_hits", 1);
        assertDelta(before, after, "get_misses", 1);
        assertDelta(before, after, "cmd_peek", 0);
        assertDelta(before, after, "queue_creates", 2);
        assertDelta(before, after, "queue_deletes", 1);
        assertDelta(before, after, "total_items", 3);
        assertDelta(before, after, "curr_items", 2);
        assertDelta(before, after, "bytes", 5);
        assertGrew(before, after, "bytes_read");
        assertGrew(before, after, "bytes_written");

        assertEquals("22", c.get(q + "/peek"));
        Map<String, String> afterPeek = stats();
        assertDelta(after, afterPeek, "cmd_peek", 1);
        assertDelta(after, afterPeek, "cmd_get", 0);
    }

    @Test
    void totalItemsCountsEverySetEvenAfterItsQueueIsDeleted() throws Exception {
        long before = globalStat("total_items");
        fill(q, "1", "2", "3");
        assertEquals(before + 3, globalStat("total_items"));
        assertEquals("DELETED", connect().call("delete " + q));
        assertEquals(before + 3, globalStat("total_items"), "a total since start never goes down");
    }

    @Test
    void ageIsHowLongTheLastTakenItemWaited() throws Exception {
        fill(q, "old", "new");
        clock.advanceMillis(150);
        assertEquals("old", connect().get(q));
        long age = queueStat(q, "age");
        assertTrue(age >= 150 && age < 60_000, "age " + age);
        assertDrains(q, "new");
        assertEquals(0, queueStat(q, "age"), "0 when empty");
    }

    @Test
    void connectionCountersFollowConnectsAndDisconnects() throws Exception {
        long current = settledStat("curr_connections");
        long total = globalStat("total_connections");
        List<MemcacheClient> extra = List.of(connect(), connect(), connect());
        for (MemcacheClient c : extra) {
            assertAlive(c); // the server has accepted it
        }
        assertEquals(current + 3, globalStat("curr_connections"));
        assertEquals(total + 3, globalStat("total_connections"));
        for (MemcacheClient c : extra) {
            c.close();
        }
        awaitStat("curr_connections", v -> v == current);
        assertEquals(total + 3, globalStat("total_connections"));
    }

    @Test
    void timeIsNowAndUptimeIsSinceStart() throws Exception {
        Map<String, String> stats = stats();
        long now = System.currentTimeMillis() / 1000;
        assertTrue(Math.abs(Long.parseLong(stats.get("time")) - now) <= 5, "time " + stats.get("time"));
        long maxUptime = (System.currentTimeMillis() - listener.startedAtMs()) / 1000 + 1;
        long uptime = Long.parseLong(stats.get("uptime"));
        assertTrue(uptime >= 0 && uptime <= maxUptime, "uptime " + uptime);
        assertEquals("VERSION " + stats.get("version"), connect().call("version"));
    }

    /**
     * The per-queue part of stats, by queue in order of appearance, checking that each queue's
     * fields are together and in the spec's order.
     */
    static Map<String, Map<String, Long>> perQueue(Map<String, String> stats) {
        List<Map.Entry<String, String>> entries = new ArrayList<>(stats.entrySet());
        Map<String, Map<String, Long>> queues = new LinkedHashMap<>();
        int i = GLOBAL_FIELDS.size() + ENGINE_FIELDS.size();
        while (i < entries.size()) {
            String first = entries.get(i).getKey();
            if (!first.startsWith("queue_") || !first.endsWith("_items")) {
                fail("expected queue_<q>_items, got " + first);
            }
            String queue = first.substring("queue_".length(), first.length() - "_items".length());
            Map<String, Long> fields = new LinkedHashMap<>();
            for (String field : QUEUE_FIELDS) {
                Map.Entry<String, String> e = entries.get(i++);
                assertEquals("queue_" + queue + "_" + field, e.getKey());
                fields.put(field, Long.parseLong(e.getValue()));
            }
            // a fanout parent ends with its children (a list of names, not a number)
            if (i < entries.size() && entries.get(i).getKey().equals("queue_" + queue + "_children")) {
                i++;
            }
            assertNull(queues.put(queue, fields), "queue listed twice: " + queue);
        }
        return queues;
    }

    /** Checks fields of {@link #q}: name, value, name, value... */
    private void assertQueue(Object... fieldsAndValues) throws Exception {
        Map<String, Long> fields = perQueue(stats()).get(q);
        for (int i = 0; i < fieldsAndValues.length; i += 2) {
            String field = (String) fieldsAndValues[i];
            assertEquals(((Number) fieldsAndValues[i + 1]).longValue(), fields.get(field), field);
        }
    }

    private static void assertDelta(Map<String, String> before, Map<String, String> after, String name, long delta) {
        assertEquals(delta, Long.parseLong(after.get(name)) - Long.parseLong(before.get(name)), name);
    }

    private static void assertGrew(Map<String, String> before, Map<String, String> after, String name) {
        assertTrue(Long.parseLong(after.get(name)) > Long.parseLong(before.get(name)), name);
    }

    /** A global counter once it has stopped moving (connections of earlier tests finish closing). */
    private long settledStat(String name) throws Exception {
        long[] last = {globalStat(name)};
        Awaitility.await(name + " settles").atMost(Duration.ofMillis(SETTLE_MS)).pollInSameThread()
                .pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    long again = globalStat(name);
                    boolean same = again == last[0];
                    last[0] = again;
                    return same;
                });
        return last[0];
    }
}
