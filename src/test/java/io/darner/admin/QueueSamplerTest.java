package io.darner.admin;

import io.darner.config.AdminConfig;
import io.darner.config.MetricsConfig;
import io.darner.queue.Delivery;
import io.darner.queue.ItemIntake;
import io.darner.queue.Queue;
import io.darner.queue.QueueRepository;
import io.darner.queue.Repositories;
import io.darner.testing.TempDataDir;
import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sampler over a real repository, driven by the test's clock: no timer, no sleeping. */
class QueueSamplerTest {
    private Path dir;
    private QueueRepository repo;
    /** The test's clock, from the real time the repository is open (items are stamped with the real time). */
    private long now;

    @BeforeEach
    void open() throws Exception {
        dir = Files.createTempDirectory("darner-sampler-");
        repo = Repositories.open(dir);
        now = System.currentTimeMillis();
    }

    @AfterEach
    void close() {
        Repositories.close(repo);
        TempDataDir.deleteTree(dir);
    }

    private static SmallRyeConfig config(Map<String, String> settings) {
        return new SmallRyeConfigBuilder()
                .withConverter(MemorySize.class, 100, new MemorySizeConverter())
                .withConverter(Duration.class, 100, new DurationConverter())
                .withMapping(AdminConfig.class)
                .withMapping(MetricsConfig.class)
                .withDefaultValues(settings)
                .build();
    }

    private QueueSampler sampler(Map<String, String> settings) {
        SmallRyeConfig c = config(settings);
        return new QueueSampler(repo, c.getConfigMapping(AdminConfig.class), c.getConfigMapping(MetricsConfig.class));
    }

    private void put(String queue, int n, int size) {
        for (int i = 0; i < n; i++) {
            byte[] data = "x".repeat(size).getBytes(StandardCharsets.UTF_8);
            ItemIntake item = repo.beginItem(data.length);
            item.write(data, 0, data.length);
            item.finish(queue, 0, 0);
        }
    }

    private void take(String queue, int n) {
        Queue q = repo.find(queue);
        for (int i = 0; i < n; i++) {
            Delivery d = q.take(false);
            q.confirm(d);
        }
    }

    private void sampleIn(QueueSampler sampler, long ms) {
        now += ms;
        sampler.sample(now);
    }

    @Test
    void ratesComeFromTheCountersOverTheLastIntervals() {
        QueueSampler sampler = sampler(Map.of());
        put("jobs", 10, 100);
        sampleIn(sampler, 0);
        assertEquals(Rates.ZERO, sampler.rates("jobs"), "one sample: no rate yet");
        put("jobs", 50, 100);
        take("jobs", 20);
        sampleIn(sampler, 5_000);
        assertEquals(new Rates(10, 4, 1_000, 400), sampler.rates("jobs"));
        put("other", 5, 10);
        sampleIn(sampler, 5_000);
        sampleIn(sampler, 5_000);
        // jobs: 50 in and 20 out over the 3 intervals of its window
        assertEquals(new Rates(50 / 15.0, 20 / 15.0, 5_000 / 15.0, 2_000 / 15.0), sampler.rates("jobs"));
        sampleIn(sampler, 5_000);
        assertEquals(Rates.ZERO, sampler.rates("jobs"), "the traffic has left the window");
        assertEquals(Rates.ZERO, sampler.serverRates());
        assertEquals(Rates.ZERO, sampler.rates("no_such_queue"));
    }

    @Test
    void theServerRatesAreEveryQueuesTogether() {
        QueueSampler sampler = sampler(Map.of());
        put("a", 1, 10);
        put("b", 1, 5);
        sampleIn(sampler, 0);
        put("a", 10, 10);
        put("b", 20, 5);
        take("b", 10);
        sampleIn(sampler, 10_000);
        assertEquals(new Rates(3, 1, 20, 5), sampler.serverRates());
    }

    @Test
    void keepsHistoryForTheFirstQueuesByNameAndTheServer() {
        QueueSampler sampler = sampler(Map.of("darner.metrics.max-queues", "2"));
        put("c", 3, 1);
        put("a", 1, 1);
        put("b", 2, 1);
        long start = now;
        for (int i = 0; i < 4; i++) {
            sampleIn(sampler, 5_000);
        }
        HistoryView a = sampler.history("a");
        assertTrue(a.kept());
        assertEquals(5_000, a.intervalMs());
        assertArrayEquals(new long[] {start + 5_000, start + 10_000, start + 15_000, start + 20_000}, a.times());
        assertArrayEquals(new long[] {1, 1, 1, 1}, a.items());
        assertTrue(a.oldestAgeMs()[3] > 19_000, "the item has waited since it was put (just after start)");
        assertArrayEquals(new long[] {2, 2}, sampler.trend("b", 2));
        assertFalse(sampler.history("c").kept(), "third by name: no history");
        assertNull(sampler.trend("c", 2));

        HistoryView server = sampler.serverHistory();
        assertArrayEquals(new long[] {6, 6, 6, 6}, server.items());
        assertEquals(a.oldestAgeMs()[3], server.oldestAgeMs()[3]);
    }

    @Test
    void aDeletedQueueIsForgottenAndOneMadeAgainStartsOver() {
        QueueSampler sampler = sampler(Map.of());
        put("jobs", 100, 1);
        sampleIn(sampler, 0);
        put("jobs", 100, 1);
        sampleIn(sampler, 5_000);
        assertTrue(sampler.rates("jobs").itemsInPerSecond() > 0);
        repo.delete("jobs");
        sampleIn(sampler, 5_000);
        assertEquals(Rates.ZERO, sampler.rates("jobs"));
        assertFalse(sampler.history("jobs").kept());

        put("jobs", 150, 1); // more than before the delete: only the new counters say it is a new queue
        sampleIn(sampler, 5_000);
        assertEquals(Rates.ZERO, sampler.rates("jobs"));
        assertEquals(1, sampler.history("jobs").times().length);
    }

    @Test
    void refusesAnIntervalOutOfRange() {
        for (String bad : new String[] {"50ms", "2m"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> sampler(Map.of("darner.admin.history-interval", bad)));
            assertTrue(e.getMessage().startsWith("darner.admin.history-interval="), e.getMessage());
        }
        assertEquals(100, sampler(Map.of("darner.admin.history-interval", "100ms")).intervalMs());
    }
}
