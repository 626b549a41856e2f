package io.darner.server;

import io.darner.testing.MemcacheClient;
import io.darner.testing.TempDataDir;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Several producers and consumers on one queue at once (spec 4): every item is confirmed exactly
 * once, each consumer sees each producer's items in order, and consumers that vanish with open
 * reads lose nothing.
 */
@QuarkusTest
@QuarkusTestResource(TempDataDir.class)
class ConcurrentClientsTest extends ServerTestBase {
    private static final int PRODUCERS = 4;
    private static final int ITEMS_PER_PRODUCER = 250;
    private static final int CONSUMERS = 4;

    private ExecutorService pool;

    @BeforeEach
    void startPool() {
        pool = Executors.newFixedThreadPool(PRODUCERS + CONSUMERS);
    }

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    @Test
    void producersAndReliableConsumersAtOnceDeliverEveryItemExactlyOnceInOrder() throws Exception {
        List<Future<?>> producers = new ArrayList<>();
        for (int p = 0; p < PRODUCERS; p++) {
            int producer = p;
            producers.add(pool.submit(() -> produce(producer)));
        }
        List<Future<List<String>>> consumers = new ArrayList<>();
        for (int i = 0; i < CONSUMERS; i++) {
            consumers.add(pool.submit(consumeWithCloseOpenLoop(producers)));
        }
        List<String> all = new ArrayList<>();
        for (Future<List<String>> consumer : consumers) {
            List<String> got = consumer.get(30, TimeUnit.SECONDS);
            assertEachProducerInOrder(got);
            all.addAll(got);
        }
        assertExactlyEveryItem(all);
        assertEquals(0, queueStat(q, "items"));
        assertEquals(0, queueStat(q, "open_transactions"));
        assertEquals(0, queueStat(q, "canceled_transactions"));
    }

    @Test
    void consumersThatVanishWithOpenReadsLoseNothing() throws Exception {
        for (int p = 0; p < PRODUCERS; p++) {
            produce(p);
        }
        List<Future<List<String>>> consumers = new ArrayList<>();
        for (int i = 0; i < CONSUMERS; i++) {
            long seed = i;
            consumers.add(pool.submit(() -> consumeDroppingSomeConnections(new Random(seed))));
        }
        List<String> confirmed = new ArrayList<>();
        for (Future<List<String>> consumer : consumers) {
            confirmed.addAll(consumer.get(30, TimeUnit.SECONDS));
        }
        awaitQueueStat(q, "open_transactions", 0);
        confirmed.addAll(takeAll()); // a read rolled back after every consumer had given up
        assertExactlyEveryItem(confirmed);
        assertTrue(queueStat(q, "canceled_transactions") > 0, "some reads should have been rolled back");
    }

    @Test
    void concurrentSyncSetsAreAllStored() throws Exception {
        int perProducer = 20;
        List<Future<Void>> producers = new ArrayList<>();
        for (int p = 0; p < PRODUCERS; p++) {
            int producer = p;
            producers.add(pool.submit(() -> produce(q + "/sync", producer, perProducer)));
        }
        for (Future<Void> producer : producers) {
            producer.get(30, TimeUnit.SECONDS);
        }
        assertEquals(PRODUCERS * perProducer, queueStat(q, "items"));
    }

    private Void produce(int producer) throws Exception {
        return produce(q, producer, ITEMS_PER_PRODUCER);
    }

    private Void produce(String key, int producer, int items) throws Exception {
        try (MemcacheClient c = new MemcacheClient(listener.port())) {
            for (int n = 0; n < items; n++) {
                assertEquals("STORED", c.set(key, item(producer, n)));
            }
        }
        return null;
    }

    /** The consumer loop of the spec: confirm the last item and open the next in one request. */
    private Callable<List<String>> consumeWithCloseOpenLoop(List<Future<?>> producers) {
        return () -> {
            List<String> got = new ArrayList<>();
            try (MemcacheClient c = new MemcacheClient(listener.port())) {
                while (true) {
                    boolean producing = producers.stream().anyMatch(f -> !f.isDone());
                    String item = c.get(q + "/t=100/close/open");
                    if (item != null) {
                        got.add(item);
                    } else if (!producing) {
                        return got; // nothing came although nobody was producing any more
                    }
                }
            }
        };
    }

    /** Opens items one by one; confirms most, but sometimes drops the connection instead. */
    private List<String> consumeDroppingSomeConnections(Random random) throws Exception {
        List<String> confirmed = new ArrayList<>();
        MemcacheClient c = new MemcacheClient(listener.port());
        try {
            String item;
            while ((item = c.get(q + "/t=100/open")) != null) {
                if (random.nextInt(5) == 0) {
                    c.close(); // vanish with the read open: it must come back for someone else
                    c = new MemcacheClient(listener.port());
                } else {
                    assertNull(c.get(q + "/close"));
                    confirmed.add(item);
                }
            }
        } finally {
            c.close();
        }
        return confirmed;
    }

    private List<String> takeAll() throws Exception {
        List<String> items = new ArrayList<>();
        MemcacheClient c = connect();
        String item;
        while ((item = c.get(q)) != null) {
            items.add(item);
        }
        return items;
    }

    private static String item(int producer, int n) {
        return producer + ":" + n;
    }

    private static void assertExactlyEveryItem(List<String> items) {
        List<String> expected = new ArrayList<>();
        for (int p = 0; p < PRODUCERS; p++) {
            for (int n = 0; n < ITEMS_PER_PRODUCER; n++) {
                expected.add(item(p, n));
            }
        }
        List<String> sorted = new ArrayList<>(items);
        Collections.sort(sorted);
        Collections.sort(expected);
        assertEquals(expected, sorted, "every item exactly once");
    }

    /** FIFO: one consumer, taking in turn, sees any one producer's items in the order they were set. */
    private static void assertEachProducerInOrder(List<String> items) {
        int[] last = new int[PRODUCERS];
        Arrays.fill(last, -1);
        for (String item : items) {
            String[] parts = item.split(":");
            int producer = Integer.parseInt(parts[0]);
            int n = Integer.parseInt(parts[1]);
            assertTrue(n > last[producer], "out of order: " + item + " after " + producer + ":" + last[producer]);
            last[producer] = n;
        }
    }
}
