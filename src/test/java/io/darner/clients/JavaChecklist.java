package io.darner.clients;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The client matrix's checks for a Java client library, the same as the other languages' programs
 * run (src/test/clients): each check on queues of its own, named after the client.
 */
final class JavaChecklist {
    static final List<String> CHECKS = List.of("fifo", "flags", "blocking get", "reliable read",
            "rollback on disconnect", "abort", "multi-key get", "1 MiB item");
    /** The queues a checklist uses after its prefix, all empty with nothing open once it passed. */
    static final List<String> QUEUES = List.of("fifo", "flags", "wait", "reliable", "rollback", "abort", "m1", "m2",
            "m-empty", "large");

    private final String q;
    private final QueueClient.Factory clients;
    private final List<String> passed = new ArrayList<>();

    JavaChecklist(String prefix, QueueClient.Factory clients) {
        this.q = prefix;
        this.clients = clients;
    }

    /** Runs every check; returns the names of those passed (a failed one throws). */
    List<String> run(boolean multiGet) throws Exception {
        try (QueueClient mc = clients.connect()) {
            fifo(mc);
            flags(mc);
            blockingGet(mc);
            reliableRead(mc);
            rollbackOnDisconnect(mc);
            abort(mc);
            if (multiGet) {
                multiKeyGet(mc);
            }
            largeItem(mc);
        }
        return passed;
    }

    private void fifo(QueueClient mc) throws Exception {
        for (String item : List.of("one", "two", "three")) {
            assertTrue(mc.set(q + "fifo", item));
        }
        List<Object> taken = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            taken.add(mc.get(q + "fifo"));
        }
        assertEquals(Arrays.asList("one", "two", "three", null), taken);
        passed.add("fifo");
    }

    /** Values of several types, which the library tells apart by the flags the server keeps. */
    private void flags(QueueClient mc) throws Exception {
        List<Object> values = List.of(42, 7L, true, "h\u00e9llo", new byte[] {0, 13, 10, -1},
                new ArrayList<>(List.of(1, "two")));
        for (Object v : values) {
            assertTrue(mc.set(q + "flags", v), "set " + v);
        }
        for (Object v : values) {
            Object got = mc.get(q + "flags");
            assertEquals(v.getClass(), got == null ? null : got.getClass());
            if (v instanceof byte[] bytes) {
                assertArrayEquals(bytes, (byte[]) got);
            } else {
                assertEquals(v, got);
            }
        }
        passed.add("flags");
    }

    private void blockingGet(QueueClient mc) throws Exception {
        long started = System.nanoTime();
        assertNull(mc.get(q + "wait/t=500"));
        assertTrue(msSince(started) >= 450, "the get waited");
        try (QueueClient producer = clients.connect()) {
            CompletableFuture<Void> late = CompletableFuture.runAsync(() -> {
                try {
                    producer.set(q + "wait", "late");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, CompletableFuture.delayedExecutor(200, TimeUnit.MILLISECONDS)); // a set 200 ms into the wait
            started = System.nanoTime();
            assertEquals("late", mc.get(q + "wait/t=3000"), "the wait is answered by the item set meanwhile");
            long waited = msSince(started);
            assertTrue(waited >= 150 && waited < 2500, "answered when the item came: " + waited + " ms");
            late.join();
        }
        passed.add("blocking get");
    }

    private void reliableRead(QueueClient mc) throws Exception {
        mc.set(q + "reliable", "a");
        mc.set(q + "reliable", "b");
        assertEquals("a", mc.get(q + "reliable/t=100/open"));
        assertEquals("b", mc.get(q + "reliable/close/open"), "confirm a, open b");
        assertNull(mc.get(q + "reliable/close"));
        assertNull(mc.get(q + "reliable"), "both confirmed");
        passed.add("reliable read");
    }

    private void rollbackOnDisconnect(QueueClient mc) throws Exception {
        mc.set(q + "rollback", "kept");
        try (QueueClient reader = clients.connect()) {
            assertEquals("kept", reader.get(q + "rollback/open"));
        }
        assertEquals("kept", mc.get(q + "rollback/t=2000/open"), "back at the head once the reader disconnected");
        assertNull(mc.get(q + "rollback/close"));
        passed.add("rollback on disconnect");
    }

    private void abort(QueueClient mc) throws Exception {
        mc.set(q + "abort", "again");
        assertEquals("again", mc.get(q + "abort/open"));
        assertNull(mc.get(q + "abort/abort"));
        assertEquals("again", mc.get(q + "abort/open"), "the aborted item comes again");
        mc.get(q + "abort/close");
        assertNull(mc.get(q + "abort"), "confirmed");
        passed.add("abort");
    }

    private void multiKeyGet(QueueClient mc) throws Exception {
        mc.set(q + "m1", "first");
        mc.set(q + "m2", "second");
        assertEquals(Map.of(q + "m1", "first", q + "m2", "second"), mc.getMulti(List.of(q + "m1", q + "m2", q + "m-empty")));
        mc.set(q + "m1", "third");
        assertEquals(Map.of(q + "m1/open", "third"), mc.getMulti(List.of(q + "m1/open")), "a multi-key get of an open read");
        assertNull(mc.get(q + "m1/close"));
        passed.add("multi-key get");
    }

    private void largeItem(QueueClient mc) throws Exception {
        byte[] large = new byte[1024 * 1024];
        new Random(1).nextBytes(large); // incompressible: the library sends all of it
        assertTrue(mc.set(q + "large", large));
        assertArrayEquals(large, (byte[]) mc.get(q + "large/open"));
        mc.get(q + "large/close");
        passed.add("1 MiB item");
    }

    private static long msSince(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }
}
