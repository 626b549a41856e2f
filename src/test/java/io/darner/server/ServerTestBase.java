package io.darner.server;

import io.darner.testing.MemcacheClient;
import io.darner.testing.MovableClock;
import jakarta.inject.Inject;
import org.awaitility.Awaitility;
import org.awaitility.core.ThrowingRunnable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongPredicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Shared plumbing of the end-to-end tests: every test talks to the one running server over real
 * sockets. All test classes share that server, so each test works on its own queue ({@link #q},
 * named after the test) and compares global counters as deltas only. Clients opened with
 * {@link #connect()} are closed after the test. Subclasses are annotated like the other server
 * tests ({@code @QuarkusTest @QuarkusTestResource(TempDataDir.class)}) so they share one app.
 */
abstract class ServerTestBase {
    /** How long to wait for the server to reach a state another connection caused. */
    static final long SETTLE_MS = 5_000;

    @Inject
    QueueListener listener;

    /** The server's clock: tests of ages move it forward instead of sleeping. */
    @Inject
    MovableClock clock;

    private static final AtomicInteger RUNS = new AtomicInteger();

    /** A queue name of this test alone. */
    String q;

    private final List<MemcacheClient> clients = new ArrayList<>();
    private MemcacheClient admin;

    @BeforeEach
    void nameQueue(TestInfo info) {
        // numbered too, so each invocation of a parameterized test has a queue of its own
        q = getClass().getSimpleName() + "." + info.getTestMethod().orElseThrow().getName() + "." + RUNS.incrementAndGet();
    }

    @AfterEach
    void closeClients() {
        for (MemcacheClient c : clients) {
            try {
                c.close();
            } catch (IOException ignored) {
                // closing is best effort
            }
        }
        clients.clear();
        admin = null;
    }

    /** A new connection, closed after the test. */
    MemcacheClient connect() throws IOException {
        MemcacheClient c = new MemcacheClient(listener.port());
        clients.add(c);
        return c;
    }

    /** One connection of this test for stats and other checks that must not disturb the others. */
    MemcacheClient admin() throws IOException {
        if (admin == null) {
            admin = connect();
        }
        return admin;
    }

    // ---- stats

    /** The {@code stats} reply, in order. */
    Map<String, String> stats() throws IOException {
        MemcacheClient c = admin();
        c.send("stats\r\n");
        Map<String, String> stats = new LinkedHashMap<>();
        for (String line : c.readLinesUntilEnd()) {
            String[] parts = line.split(" ", 3);
            assertEquals("STAT", parts[0], line);
            assertNull(stats.put(parts[1], parts[2]), "stat twice: " + parts[1]);
        }
        return stats;
    }

    long globalStat(String name) throws IOException {
        return Long.parseLong(required(stats(), name));
    }

    /** A field of a queue; fails if the queue is not there. */
    long queueStat(String queue, String field) throws IOException {
        Long value = queueStats(queue).get(field);
        if (value == null) {
            fail("no field " + field + " for queue " + queue);
        }
        return value;
    }

    /**
     * The fields of one queue as {@code dump_stats <q>} lists them (the same figures as the
     * {@code queue_<q>_*} lines of stats, without listing every queue of the shared server); empty
     * if there is no such queue.
     */
    Map<String, Long> queueStats(String queue) throws IOException {
        return admin().queueStats(queue);
    }

    /** Every queue's fields, as {@code dump_stats} lists them, by queue name. */
    Map<String, Map<String, Long>> allQueueStats() throws IOException {
        MemcacheClient c = admin();
        c.send("dump_stats\r\n");
        Map<String, Map<String, Long>> queues = new LinkedHashMap<>();
        Map<String, Long> fields = null;
        for (String line : c.readLinesUntilEnd()) {
            if (line.startsWith("queue '")) {
                fields = new LinkedHashMap<>();
                queues.put(line.substring("queue '".length(), line.length() - "' {".length()), fields);
            } else if (!line.equals("}")) {
                String[] parts = line.strip().split("=", 2);
                if (!parts[0].equals("children")) {
                    fields.put(parts[0], Long.parseLong(parts[1]));
                }
            }
        }
        return queues;
    }

    /**
     * The server's counters agree with each other: {@code curr_items} and {@code bytes} are the sums
     * over the queues, and no figure is negative.
     */
    void assertCountersConsistent() throws IOException {
        Map<String, String> global = stats();
        global.forEach((name, value) -> {
            if (!name.equals("version") && !name.startsWith("store_engine") && !name.endsWith("_children")
                    && !name.endsWith("_destinations")) {
                assertTrue(Long.parseLong(value) >= 0, name + " is negative: " + value);
            }
        });
        Map<String, Map<String, Long>> queues = allQueueStats();
        long items = 0;
        long bytes = 0;
        for (Map.Entry<String, Map<String, Long>> q : queues.entrySet()) {
            q.getValue().forEach((field, value) -> assertTrue(value >= 0, q.getKey() + " " + field + " is negative: " + value));
            items += q.getValue().get("items");
            bytes += q.getValue().get("bytes");
        }
        assertEquals(Long.parseLong(global.get("curr_items")), items, "curr_items is the sum of the queues' items");
        assertEquals(Long.parseLong(global.get("bytes")), bytes, "bytes is the sum of the queues' bytes");
    }

    /** Whether stats lists the queue; works for any name, also one the server would refuse. */
    boolean queueExists(String queue) throws IOException {
        return stats().containsKey("queue_" + queue + "_items");
    }

    /** Polls a queue field until it is there and satisfies {@code condition}; fails after {@link #SETTLE_MS}. */
    void awaitQueueStat(String queue, String field, LongPredicate condition) throws Exception {
        awaitQueueStat(queue, field, condition, SETTLE_MS);
    }

    /** As {@link #awaitQueueStat(String, String, LongPredicate)}, failing after {@code timeoutMs}. */
    void awaitQueueStat(String queue, String field, LongPredicate condition, long timeoutMs) throws Exception {
        await("queue " + queue + ": " + field, () -> queueStats(queue).get(field), condition, timeoutMs);
    }

    void awaitQueueStat(String queue, String field, long expected) throws Exception {
        awaitQueueStat(queue, field, v -> v == expected);
    }

    /** Polls a global stat until it satisfies {@code condition}; fails after {@link #SETTLE_MS}. */
    void awaitStat(String name, LongPredicate condition) throws Exception {
        await(name, () -> globalStat(name), condition, SETTLE_MS);
    }

    /**
     * Polls {@code assertion} for {@code forMs}: it must hold all that time. For what must not
     * happen, a state that once left is not come back to (a waiter that timed out, bytes read):
     * fails soon after the state is left.
     */
    static void assertHoldsFor(long forMs, ThrowingRunnable assertion) {
        Awaitility.await().during(Duration.ofMillis(forMs)).atMost(Duration.ofMillis(forMs + 1_000))
                .pollInSameThread().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(20))
                .untilAsserted(assertion);
    }

    /** Something to poll: a figure, or null while there is none. */
    @FunctionalInterface
    interface Probe {
        Long read() throws IOException;
    }

    private static void await(String what, Probe probe, LongPredicate condition, long timeoutMs) {
        Awaitility.await(what).atMost(Duration.ofMillis(timeoutMs)).pollInSameThread()
                .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5))
                .until(probe::read, value -> value != null && condition.test(value));
    }

    private static String required(Map<String, String> stats, String name) {
        String v = stats.get(name);
        if (v == null) {
            fail("no stat " + name);
        }
        return v;
    }

    // ---- common steps

    /** Stores the items in order on a fresh connection of the test. */
    void fill(String queue, String... items) throws IOException {
        MemcacheClient c = connect();
        for (String item : items) {
            assertEquals("STORED", c.set(queue, item));
        }
    }

    /** Takes items one by one with plain gets and checks they are exactly these, then that none is left. */
    void assertDrains(String queue, String... expected) throws IOException {
        MemcacheClient c = connect();
        for (String item : expected) {
            assertEquals(item, c.get(queue));
        }
        assertNull(c.get(queue), "queue " + queue + " should be empty now");
    }

    /** Closes a client's connection and waits until the server has noticed (and rolled back what it held). */
    void disconnect(MemcacheClient c) throws Exception {
        long connections = globalStat("curr_connections");
        c.close();
        awaitStat("curr_connections", v -> v < connections);
    }

    /** Sends a request that must get a reply line and then have its connection closed by the server. */
    static void assertRepliedAndClosed(MemcacheClient c, String request, String expectedReply) throws IOException {
        c.send(request);
        assertEquals(expectedReply, c.readLine(), "reply to " + request.strip());
        assertTrue(c.isClosedByServer(), "connection should be closed after " + request.strip());
    }

    static void assertClosedByServer(MemcacheClient c) throws IOException {
        assertTrue(c.isClosedByServer(), "connection should be closed by the server");
    }

    /** The connection still answers requests. */
    static void assertAlive(MemcacheClient c) throws IOException {
        assertTrue(c.call("version").startsWith("VERSION "), "connection should still be served");
    }

    static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static long elapsedMs(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
