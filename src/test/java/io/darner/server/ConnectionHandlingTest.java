package io.darner.server;

import io.darner.testing.MemcacheClient;
import io.darner.testing.TempDataDir;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.darner.testing.MemcacheClient.setRequest;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Many requests per connection and many connections (spec 1): pipelined requests are answered in
 * order, a client that does not read its replies is held back without harm to anyone else.
 */
@QuarkusTest
@QuarkusTestResource(TempDataDir.class)
class ConnectionHandlingTest extends ServerTestBase {
    private static final int ITEM_SIZE = 16 * 1024;

    @Test
    void pipelinedRequestsInOneWriteAreAllAnsweredInOrder() throws Exception {
        int n = 1000;
        ByteArrayOutputStream burst = new ByteArrayOutputStream();
        for (int i = 0; i < n; i++) {
            burst.writeBytes(setRequest(q, i, 0, ascii("item " + i), i % 3 == 0 ? " noreply" : ""));
        }
        burst.writeBytes(ascii("version\r\n"));
        for (int i = 0; i < n; i++) {
            burst.writeBytes(ascii("get " + q + (i % 2 == 0 ? "\r\n" : "/t=1000\r\n")));
        }
        burst.writeBytes(ascii("get " + q + "\r\nbogus\r\n"));
        MemcacheClient c = connect();
        c.send(burst.toByteArray());
        for (int i = 0; i < n; i++) {
            if (i % 3 != 0) {
                assertEquals("STORED", c.readLine(), "reply to set " + i);
            }
        }
        assertTrue(c.readLine().startsWith("VERSION "));
        for (int i = 0; i < n; i++) {
            SetGetTest.assertItem(c.readItem(), q + (i % 2 == 0 ? "" : "/t=1000"), i, ascii("item " + i)); // the key as asked
        }
        assertNull(c.readItem());
        assertEquals("ERROR", c.readLine());
    }

    @Test
    void aClientThatDoesNotReadIsHeldBackAndLosesNoReply() throws Exception {
        int requests = 3000; // about 48 MiB of replies: far more than the server and the sockets buffer
        byte[] item = randomBytes(ITEM_SIZE, 1);
        assertEquals("STORED", connect().set(q, item));
        MemcacheClient slow = connect();
        Future<?> writing = sendInBackground(slow, ascii(("get " + q + "/peek\r\n").repeat(requests)));

        assertOthersAreServed();

        for (int i = 0; i < requests; i++) {
            assertArrayEquals(item, slow.readValue(), "reply " + i);
        }
        writing.get(10, TimeUnit.SECONDS);
        assertAlive(slow);
        assertEquals(1, queueStat(q, "items"));
    }

    @Test
    void aClientThatFloodsGetsAndNeverReadsDoesNotHurtTheServer() throws Exception {
        assertEquals("STORED", connect().set(q, randomBytes(ITEM_SIZE, 2)));
        MemcacheClient flooder = connect();
        byte[] flood = ascii(("get " + q + "/peek\r\n").repeat(200_000));
        long readBefore = globalStat("bytes_read");
        Future<?> writing = sendInBackground(flooder, flood);

        assertOthersAreServed();
        assertHoldsFor(300, () -> { // ample time to read megabytes, were the server still reading the flooder
            long read = globalStat("bytes_read") - readBefore;
            assertTrue(read < flood.length / 2, "the server read " + read + " of the " + flood.length
                    + " bytes of a client that reads no replies: it should have stopped reading it");
        });

        disconnect(flooder);
        writing.cancel(true);
        assertOthersAreServed();
        assertEquals(1, queueStat(q, "items"));
    }

    @Test
    void manyConnectionsAreServedAtOnce() throws Exception {
        int clients = 50;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                String queue = q + "." + i;
                results.add(pool.submit(() -> {
                    try (MemcacheClient c = new MemcacheClient(listener.port())) {
                        assertEquals("STORED", c.set(queue, queue));
                        return c.get(queue + "/t=1000");
                    }
                }));
            }
            for (int i = 0; i < clients; i++) {
                assertEquals(q + "." + i, results.get(i).get(10, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Other connections keep working: sets, gets and stats answered while the test's hog waits. */
    private void assertOthersAreServed() throws Exception {
        String queue = q + ".other";
        MemcacheClient other = connect();
        for (int i = 0; i < 20; i++) {
            assertEquals("STORED", other.set(queue, "x" + i));
            assertEquals("x" + i, other.get(queue));
        }
        assertFalse(stats().isEmpty());
        other.close();
    }

    /** Writes on a daemon thread: the write blocks while the server, rightly, stops reading. */
    private static Future<?> sendInBackground(MemcacheClient c, byte[] bytes) {
        ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "test-writer");
            t.setDaemon(true);
            return t;
        });
        Future<?> f = writer.submit(() -> {
            try {
                c.send(bytes);
            } catch (IOException e) {
                // the socket was closed under the writer: expected for a client that is given up
            }
        });
        writer.shutdown();
        return f;
    }
}
