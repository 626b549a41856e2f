package io.darner.server;

import io.darner.testing.MemcacheClient;
import io.darner.testing.TempDataDir;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static io.darner.testing.MemcacheClient.setRequest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** delete, flush, flush_all, confirm, dump_stats, version, status, shutdown, quit (spec 2, 3). */
@QuarkusTest
@QuarkusTestResource(TempDataDir.class)
class AdminCommandsTest extends ServerTestBase {

    @Test
    void deleteRemovesTheQueueItsItemsAndItsStats() throws Exception {
        fill(q, "a", "b");
        MemcacheClient c = connect();
        assertEquals("DELETED", c.call("delete " + q));
        assertFalse(queueExists(q));
        assertNull(c.get(q));
        assertEquals(0, queueStat(q, "total_items"), "a new queue starts its stats afresh");
    }

    @Test
    void deleteOfAnUnknownQueueRepliesDeletedAndCreatesNothing() throws Exception {
        assertEquals("DELETED", connect().call("delete " + q));
        assertFalse(queueExists(q));
    }

    @Test
    void flushRemovesEveryItemButKeepsTheQueue() throws Exception {
        fill(q, "a", "b", "c");
        MemcacheClient c = connect();
        assertEquals("END", c.call("flush " + q));
        assertEquals(0, queueStat(q, "items"));
        assertEquals(0, queueStat(q, "bytes"));
        assertEquals(1, queueStat(q, "total_flushes"));
        assertNull(c.get(q));
        assertEquals("STORED", c.set(q, "after"));
        assertDrains(q, "after");
    }

    @Test
    void flushOfAnUnknownQueueCreatesNothing() throws Exception {
        assertEquals("END", connect().call("flush " + q));
        assertFalse(queueExists(q));
    }

    @Test
    void anOpenReadOfAFlushedQueueDoesNotComeBack() throws Exception {
        fill(q, "a", "b");
        MemcacheClient holder = connect();
        MemcacheClient aborter = connect();
        assertEquals("a", holder.get(q + "/open"));
        assertEquals("b", aborter.get(q + "/open"));
        assertEquals("END", connect().call("flush " + q));
        assertNull(holder.get(q + "/close"), "confirming a flushed item is harmless");
        assertNull(aborter.get(q + "/abort"), "aborting a flushed item is harmless");
        assertEquals(0, queueStat(q, "open_transactions"));
        assertDrains(q);
    }

    @Test
    void anOpenReadOfADeletedQueueDoesNotComeBack() throws Exception {
        fill(q, "a");
        MemcacheClient holder = connect();
        assertEquals("a", holder.get(q + "/open"));
        assertEquals("DELETED", connect().call("delete " + q));
        fill(q, "new");
        disconnect(holder); // its open read rolls back into the deleted queue, that is, nowhere
        assertDrains(q, "new");
    }

    @Test
    void flushAllEmptiesEveryQueueAndKeepsThem() throws Exception {
        String other = q + ".other";
        fill(q, "a");
        fill(other, "b", "c");
        MemcacheClient c = connect();
        assertEquals("Flushed all queues.", c.call("flush_all"));
        assertEquals("Flushed all queues.", c.call("flush_all 0"), "memcached clients may send a delay");
        c.send("flush_all noreply\r\n");
        assertAlive(c);
        assertEquals(0, queueStat(q, "items"));
        assertEquals(0, queueStat(other, "items"));
        assertDrains(q);
        assertDrains(other);
    }

    @Test
    void confirmSettlesOpenReadsOrNothing() throws Exception {
        fill(q, "a", "b");
        MemcacheClient c = connect();
        assertEquals("a", c.get(q + "/open"));
        assertEquals("ERROR", c.call("confirm " + q + " 2"), "fewer than 2 reads are open");
        assertEquals(1, queueStat(q, "open_transactions"), "nothing is confirmed then");
        assertEquals("END", c.call("confirm " + q + " 0"));
        assertEquals("END", c.call("confirm " + q + " 1"));
        assertEquals(0, queueStat(q, "open_transactions"));
        assertDrains(q, "b");
    }

    @Test
    void flushDeleteConfirmStatsAndDumpStatsDoNotCreateTheQueue() throws Exception {
        MemcacheClient c = connect();
        assertEquals("END", c.call("flush " + q));
        assertEquals("DELETED", c.call("delete " + q));
        assertEquals("END", c.call("confirm " + q + " 0"));
        c.send("dump_stats " + q + "\r\n");
        assertEquals(List.of(), c.readLinesUntilEnd());
        assertFalse(queueExists(q));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/peek", "/t=1", "/open", "/t=1/peek", "/close", "/abort", "/close/open"})
    void everyFormOfGetCreatesTheQueue(String options) throws Exception {
        assertNull(connect().get(q + options));
        assertTrue(queueExists(q), "get " + q + options + " creates its queue");
    }

    @Test
    void multiKeyGetCreatesEveryQueue() throws Exception {
        connect().send("get " + q + ".1 " + q + ".2\r\n").readItems();
        assertTrue(queueExists(q + ".1"));
        assertTrue(queueExists(q + ".2"));
    }

    @Test
    void dumpStatsListsTheFieldsOfEachQueue() throws Exception {
        String other = q + ".other";
        fill(q, "abc");
        assertDrains(other); // a get creates the queue, empty
        MemcacheClient c = connect();
        c.send("dump_stats " + q + " " + other + "\r\n");
        List<String> lines = c.readLinesUntilEnd();
        List<String> expected = new ArrayList<>();
        expected.addAll(dumpedQueue(q, "1", "3"));
        expected.addAll(dumpedQueue(other, "0", "0"));
        assertEquals(expected.size(), lines.size(), String.join("\n", lines));
        for (int i = 0; i < lines.size(); i++) {
            String want = expected.get(i);
            assertTrue(want.endsWith("=") ? lines.get(i).startsWith(want) : lines.get(i).equals(want),
                    "line " + i + ": expected " + want + ", got " + lines.get(i));
        }
    }

    @Test
    void dumpStatsWithoutNamesListsEveryQueue() throws Exception {
        fill(q, "x");
        MemcacheClient c = connect();
        c.send("dump_stats\r\n");
        List<String> lines = c.readLinesUntilEnd();
        assertTrue(lines.contains("queue '" + q + "' {"), String.join("\n", lines));
    }

    @Test
    void versionIsSemverWithMajorAtLeastOne() throws Exception {
        String reply = connect().call("version");
        assertTrue(reply.matches("VERSION \\d+\\.\\d+\\.\\d+\\S*"), reply);
        int major = Integer.parseInt(reply.substring("VERSION ".length()).split("\\.")[0]);
        assertTrue(major >= 1, "libmemcached refuses major version 0: " + reply);
    }

    @Test
    void readonlyStatusRefusesChangesButServesReads() throws Exception {
        fill(q, "a", "b");
        MemcacheClient c = connect();
        assertEquals("up", c.call("status"));
        try {
            assertEquals("END", c.call("status readonly"));
            assertEquals("readonly", c.call("status"));
            assertEquals("SERVER_ERROR server is read-only", c.set(q, "refused"));
            c.send(setRequest(q, 0, 0, ascii("version"), "")); // its data must be consumed, not run
            assertEquals("SERVER_ERROR server is read-only", c.readLine());
            assertEquals("SERVER_ERROR server is read-only", c.call("delete " + q));
            assertEquals("SERVER_ERROR server is read-only", c.call("flush " + q));
            assertEquals("SERVER_ERROR server is read-only", c.call("flush_all"));
            assertEquals("a", c.get(q));
            assertEquals(1, queueStat(q, "items"));
        } finally {
            assertEquals("END", c.call("status UP"), "status words are case-insensitive");
        }
        assertEquals("up", c.call("status"));
        assertEquals("STORED", c.set(q, "c"));
        assertDrains(q, "b", "c");
    }

    @Test
    void quiescentStatusRefusesGetsButLetsConsumersFinish() throws Exception {
        fill(q, "a", "b");
        MemcacheClient consumer = connect();
        assertEquals("a", consumer.get(q + "/open"));
        MemcacheClient c = connect();
        try {
            assertEquals("END", c.call("status quiescent"));
            assertEquals("quiescent", c.call("status"));
            for (String key : new String[] {q, q + "/peek", q + "/open", q + "/t=10", q + " " + q + ".other"}) {
                assertTrue(c.call("get " + key).startsWith("SERVER_ERROR "), "get " + key);
            }
            assertEquals("SERVER_ERROR server is quiescent", c.set(q, "refused"), "says why");
            assertEquals("SERVER_ERROR server is quiescent", c.call("delete " + q));
            assertEquals("SERVER_ERROR server is quiescent", c.call("flush_all"));
            assertNull(consumer.get(q + "/close"), "close is still allowed");
            assertEquals(0, queueStat(q, "open_transactions"));
        } finally {
            assertEquals("END", c.call("status up"));
        }
        assertDrains(q, "b");
    }

    @Test
    void shutdownIsDisabledByDefault() throws Exception {
        MemcacheClient c = connect();
        assertEquals("CLIENT_ERROR shutdown disabled", c.call("shutdown"));
        assertAlive(c);
    }

    @Test
    void quitClosesTheConnectionWithoutAReply() throws Exception {
        MemcacheClient c = connect();
        c.send("quit\r\n");
        assertClosedByServer(c);
    }

    @Test
    void quitAnswersEarlierRequestsAndIgnoresLaterOnes() throws Exception {
        fill(q, "a");
        MemcacheClient c = connect();
        c.send("get " + q + "\r\nQUIT\r\nget " + q + "\r\n");
        assertEquals("a", c.readItem().text());
        assertClosedByServer(c);
        assertEquals(0, queueStat(q, "items"));
    }

    /** The expected lines of one queue in dump_stats; a line ending in "=" only fixes the field name. */
    private static List<String> dumpedQueue(String queue, String items, String bytes) {
        List<String> lines = new ArrayList<>();
        lines.add("queue '" + queue + "' {");
        lines.add("  items=" + items);
        lines.add("  bytes=" + bytes);
        for (String field : StatsTest.QUEUE_FIELDS.subList(2, StatsTest.QUEUE_FIELDS.size())) {
            lines.add("  " + field + "=");
        }
        lines.add("}");
        return lines;
    }
}
