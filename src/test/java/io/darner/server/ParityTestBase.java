package io.darner.server;

import io.darner.testing.MemcacheClient;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Plumbing of the Kestrel-parity tests, which run in the app of {@link ParityProfile}. Subclasses
 * are annotated {@code @QuarkusTest @TestProfile(ParityProfile.class) @QuarkusTestResource(TempDataDir.class)}
 * so that they share that one app.
 */
abstract class ParityTestBase extends ServerTestBase {
    /** How long an item set to expire in a second or two may take to be swept: generous. */
    static final long SWEEP_MS = 10_000;

    /** Waits, up to {@link #SWEEP_MS}, for a queue field that the background sweep will change. */
    void awaitSwept(String queue, String field, long expected) throws Exception {
        awaitQueueStat(queue, field, v -> v == expected, SWEEP_MS);
    }

    /** Stores one item with an exptime on the test's admin connection. */
    void setExpiring(String queue, long exptime, String data) throws IOException {
        assertEquals("STORED", admin().set(queue, 0, exptime, ascii(data)), "set " + queue + " exptime " + exptime);
    }

    /** Stores {@code count} numbered items in one pipelined write: {@code prefix0}, {@code prefix1}, ... */
    void fillPipelined(String queue, String prefix, int count) throws IOException {
        ByteArrayOutputStream requests = new ByteArrayOutputStream();
        for (int i = 0; i < count; i++) {
            requests.writeBytes(MemcacheClient.setRequest(queue, 0, 0, ascii(prefix + i), ""));
        }
        MemcacheClient c = connect();
        c.send(requests.toByteArray());
        for (int i = 0; i < count; i++) {
            assertEquals("STORED", c.readLine(), "set " + i);
        }
    }

    /** Takes every item of the queue with plain gets: their data as text, in order. */
    List<String> drainAll(String queue) throws IOException {
        MemcacheClient c = connect();
        List<String> items = new ArrayList<>();
        for (String item = c.get(queue); item != null; item = c.get(queue)) {
            items.add(item);
        }
        return items;
    }

    /** The lines of {@code dump_stats} for these queues, as sent. */
    List<String> dumpStats(String... queues) throws IOException {
        MemcacheClient c = admin();
        c.send("dump_stats " + String.join(" ", queues) + "\r\n");
        return c.readLinesUntilEnd();
    }

    /** Checks fields of a queue: {@code "items", 3, "bytes", 10, ...}. */
    void assertQueue(String queue, Object... fieldsAndValues) throws IOException {
        Map<String, Long> stats = queueStats(queue);
        for (int i = 0; i < fieldsAndValues.length; i += 2) {
            String field = (String) fieldsAndValues[i];
            long expected = ((Number) fieldsAndValues[i + 1]).longValue();
            assertEquals(expected, stats.get(field), queue + " " + field);
        }
    }

    /** Now in Unix seconds by the server's clock, as an absolute exptime. */
    long unixNow() {
        return clock.millis() / 1000;
    }
}
