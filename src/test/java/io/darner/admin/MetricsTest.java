package io.darner.admin;

import io.darner.server.QueueListener;
import io.darner.testing.MemcacheClient;
import io.darner.testing.TempDataDir;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(TempDataDir.class)
class MetricsTest {
    @Inject
    QueueListener listener;

    @Inject
    LatencyTimers timers;

    private static String scrape() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    /** The value of one series, e.g. {@code darner_queue_items{queue="a"}}; fails when it is absent. */
    private static double value(String scrape, String series) {
        for (String line : scrape.split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        throw new AssertionError(series + " is not in the scrape");
    }

    @Test
    void jvmMetricsAreReadWhenScraped() {
        System.gc(); // at least one collection to count
        String s = scrape();
        assertTrue(s.contains("jvm_memory_used_bytes{"), "memory pools");
        assertTrue(s.contains("jvm_threads_live_threads "), "threads");
        assertTrue(s.contains("jvm_classes_loaded_classes "), "classes");
        double collections = 0;
        for (String line : s.split("\n")) {
            if (line.startsWith("jvm_gc_collections_total{")) {
                collections += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        assertTrue(collections >= 1, "collections counted by collector");
        assertTrue(s.contains("jvm_gc_collection_seconds_total{"), "collection time");
        assertTrue(!s.contains("jvm_gc_pause_seconds"), "no notification-driven GC timer");
    }

    @Test
    void perQueueFiguresAfterKnownTraffic() throws Exception {
        String name = Admin.queueName("metrics");
        try (MemcacheClient c = new MemcacheClient(listener.port())) {
            c.set(name, "aaaa");
            c.set(name, "bbbb");
            c.set(name, "cccc");
            assertEquals("aaaa", c.get(name));
            assertEquals("bbbb", c.get(name + "/open"));
            String q = "{queue=\"" + name + "\"}";
            String s = scrape();
            assertEquals(1, value(s, "darner_queue_items" + q));
            assertEquals(4, value(s, "darner_queue_bytes" + q));
            assertEquals(1, value(s, "darner_queue_open_reads" + q));
            assertEquals(0, value(s, "darner_queue_waiters" + q));
            assertTrue(value(s, "darner_queue_age_seconds" + q) >= 0);
            assertEquals(3, value(s, "darner_queue_enqueued_total" + q));
            assertEquals(0, value(s, "darner_queue_expired_total" + q));
            assertEquals(0, value(s, "darner_queue_discarded_total" + q));
            assertEquals(0, value(s, "darner_queue_dead_lettered_total" + q));
            assertEquals(0, value(s, "darner_queue_delayed" + q));
        }
    }

    @Test
    void delayedItemsAreCountedApart() throws Exception {
        String name = Admin.queueName("metrics_delayed");
        try (MemcacheClient c = new MemcacheClient(listener.port())) {
            c.set(name, "a");
            assertEquals("a", c.get(name + "/open"));
            assertEquals("END", c.call("get " + name + "/abort/delay=600000"));
            c.set(name + "/delay=600000", "b");
            String q = "{queue=\"" + name + "\"}";
            String s = scrape();
            assertEquals(2, value(s, "darner_queue_delayed" + q), "a delayed set and an abort with a delay");
            assertEquals(0, value(s, "darner_queue_items" + q));
            assertEquals(0, value(s, "darner_queue_open_reads" + q));
            assertEquals("DELETED", c.call("delete " + name));
        }
    }

    @Test
    void expiredItemsAreCounted() throws Exception {
        String name = Admin.queueName("metrics_exp");
        Admin.authorized().queryParam("exptime", -1).body("late").post("/admin/queues/" + name + "/items")
                .then().statusCode(201);
        try (MemcacheClient c = new MemcacheClient(listener.port())) {
            c.call("flush_expired " + name); // 0 or 1: the background sweep may have been first
        }
        assertEquals(1, value(scrape(), "darner_queue_expired_total{queue=\"" + name + "\"}"));
    }

    @Test
    void serverCountersMoveByExactlyTheTraffic() throws Exception {
        String name = Admin.queueName("metrics_srv");
        String before = scrape();
        try (MemcacheClient c = new MemcacheClient(listener.port())) {
            c.set(name, "x");
            c.set(name, "y");
            assertEquals("x", c.get(name));
            c.get(name + "_empty");
            c.call("get " + name + "/peek");
            String after = scrape();
            assertEquals(2, delta(before, after, "darner_sets_total"));
            assertEquals(2, delta(before, after, "darner_gets_total"));
            assertEquals(1, delta(before, after, "darner_peeks_total"));
            assertEquals(1, delta(before, after, "darner_get_hits_total"));
            assertEquals(1, delta(before, after, "darner_get_misses_total"));
            assertEquals(2, delta(before, after, "darner_queues_created_total"));
            assertEquals(1, delta(before, after, "darner_connections_total"));
            assertTrue(value(after, "darner_connections_current") >= 1);
            assertTrue(delta(before, after, "darner_bytes_read_total") > 0);
            assertTrue(delta(before, after, "darner_bytes_written_total") > 0);
            assertTrue(value(after, "darner_queues") >= 2);
        }
    }

    @Test
    void latencyTimersRecordWhatTheSessionsReport() {
        String set = "darner_request_latency_seconds_count{command=\"set\"}";
        String get = "darner_request_latency_seconds_count{command=\"get\"}";
        String before = scrape();
        timers.setAnswered(TimeUnit.MILLISECONDS.toNanos(5));
        timers.getAnswered(TimeUnit.MILLISECONDS.toNanos(2));
        timers.getAnswered(TimeUnit.MILLISECONDS.toNanos(2));
        String after = scrape();
        assertEquals(1, delta(before, after, set));
        assertEquals(2, delta(before, after, get));
        assertEquals(0.005, delta(before, after, "darner_request_latency_seconds_sum{command=\"set\"}"), 1e-9);
        assertTrue(after.contains("darner_request_latency_seconds_bucket{command=\"get\",le="), "histogram buckets");
    }

    private static double delta(String before, String after, String series) {
        return value(after, series) - value(before, series);
    }
}
