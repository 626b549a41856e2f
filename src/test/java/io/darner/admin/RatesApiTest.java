package io.darner.admin;

import io.darner.server.QueueListener;
import io.darner.testing.MemcacheClient;
import io.darner.testing.TempDataDir;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import org.awaitility.Awaitility;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Rates, history, sorting and filtering of the admin API; the test profile samples every 250 ms. */
@QuarkusTest
@QuarkusTestResource(TempDataDir.class)
class RatesApiTest {
    private static final long PATIENCE_MS = 20_000;

    @Inject
    QueueListener listener;

    /** A queue name that sorts before the other tests' queues, so that it keeps history. */
    private static String earlyName(String prefix) {
        return "0" + Admin.queueName(prefix);
    }

    @Test
    void ratesAndHistoryFollowTheTraffic() throws Exception {
        String name = earlyName("rates");
        JsonPath queue;
        AtomicReference<JsonPath> serverPage = new AtomicReference<>();
        try (MemcacheClient c = new MemcacheClient(listener.port())) {
            // traffic, 20 sets and 10 gets a round, until the sampler shows it flowing in and out
            queue = Awaitility.await().atMost(Duration.ofMillis(PATIENCE_MS)).pollInterval(Duration.ofMillis(50))
                    .until(() -> {
                        for (int i = 0; i < 20; i++) {
                            assertEquals("STORED", c.set(name, "0123456789"));
                        }
                        for (int i = 0; i < 10; i++) {
                            assertEquals("0123456789", c.get(name));
                        }
                        JsonPath q = given().get("/admin/queues/" + name).then().statusCode(200).extract().jsonPath();
                        JsonPath page = given().get("/admin/queues").then().statusCode(200).extract().jsonPath();
                        serverPage.set(page);
                        return q.getDouble("rates.itemsOutPerSecond") > 0 && page.getDouble("rates.itemsInPerSecond") > 0
                                ? q : null;
                    }, java.util.Objects::nonNull);
        }
        JsonPath page = serverPage.get();
        assertTrue(queue.getDouble("rates.itemsInPerSecond") > queue.getDouble("rates.itemsOutPerSecond"),
                "more in than out: " + queue.getMap("rates"));
        assertTrue(queue.getDouble("rates.itemsOutPerSecond") > 0, "items out: " + queue.getMap("rates"));
        assertEquals(10 * queue.getDouble("rates.itemsInPerSecond"), queue.getDouble("rates.bytesInPerSecond"),
                queue.getDouble("rates.bytesInPerSecond") * 1e-4,
                "10-byte items");
        assertTrue(page.getDouble("rates.itemsInPerSecond") > 0, "server rates: " + page.getMap("rates"));

        JsonPath history = await("/admin/queues/" + name + "/history", h -> h.getList("times").size() >= 3
                && h.getLong("oldestAgeMs[-1]") > 0);
        assertTrue(history.getBoolean("kept"));
        assertEquals(250, history.getLong("intervalMs"));
        List<Long> times = history.getList("times", Long.class);
        for (String column : List.of("items", "openReads", "oldestAgeMs", "itemsInPerSecond", "itemsOutPerSecond",
                "bytesInPerSecond", "bytesOutPerSecond")) {
            assertEquals(times.size(), history.getList(column).size(), column);
        }
        assertTrue(history.getLong("items[-1]") > 0, "depth sampled");
        assertTrue(times.get(0) < times.get(times.size() - 1), "oldest first");

        JsonPath server = await("/admin/history", h -> h.getLong("items[-1]") > 0);
        assertTrue(server.getBoolean("kept"));

        List<Long> trend = given().queryParam("filter", name).queryParam("trend", 5).get("/admin/queues")
                .jsonPath().getList("queues[0].trend", Long.class);
        assertFalse(trend.isEmpty());
        assertTrue(trend.size() <= 5);
    }

    @Test
    void theHistoryOfAnUnknownQueueIs404() {
        given().get("/admin/queues/no_such_queue_here/history").then().statusCode(404)
                .body("error", equalTo("no queue named 'no_such_queue_here'"));
    }

    @Test
    void aQueuePastTheMetricsQueuesKeepsNoHistory() throws Exception {
        String name = "zz_" + Admin.queueName("late"); // after the first 100 by name, once the tests made 100 queues
        try (MemcacheClient c = new MemcacheClient(listener.port())) {
            for (int i = 0; i < 101; i++) {
                c.set("y" + Admin.queueName("filler") + "_" + i, "x"); // after the early queues, before this one
            }
            c.set(name, "x");
        }
        await("/admin/queues/" + name + "/history", h -> !h.getBoolean("kept"));
        given().get("/admin/queues/" + name + "/history").then().statusCode(200)
                .body("times.size()", equalTo(0)).body("items.size()", equalTo(0));
        given().queryParam("filter", name).queryParam("trend", 5).get("/admin/queues").then()
                .body("queues[0].trend", nullValue());
    }

    @Test
    void sortsByAnyFieldAndFiltersByName() throws Exception {
        String prefix = Admin.queueName("SortMe");
        try (MemcacheClient c = new MemcacheClient(listener.port())) {
            for (int n : new int[] {2, 5, 1}) {
                for (int i = 0; i < n; i++) {
                    c.set(prefix + "_" + n, "x".repeat(n));
                }
            }
            c.set(Admin.queueName("other"), "x");
        }
        String filter = prefix.toLowerCase(); // ignoring case
        given().queryParam("filter", filter).queryParam("sort", "items").queryParam("order", "desc")
                .get("/admin/queues").then().statusCode(200).body("total", equalTo(3))
                .body("queues.name", equalTo(List.of(prefix + "_5", prefix + "_2", prefix + "_1")));
        given().queryParam("filter", filter).queryParam("sort", "bytes").get("/admin/queues").then()
                .body("queues.name", equalTo(List.of(prefix + "_1", prefix + "_2", prefix + "_5")));
        given().queryParam("filter", filter).queryParam("order", "desc").queryParam("limit", 2)
                .queryParam("offset", 1).get("/admin/queues").then().body("total", equalTo(3))
                .body("queues.name", equalTo(List.of(prefix + "_2", prefix + "_1")));
        given().queryParam("filter", filter).queryParam("sort", "name").get("/admin/queues").then()
                .body("queues.name", equalTo(List.of(prefix + "_1", prefix + "_2", prefix + "_5")));
        given().queryParam("filter", "no queue has this in its name").get("/admin/queues").then()
                .body("total", equalTo(0)).body("queues.size()", equalTo(0));
    }

    @Test
    void refusesAnUnknownSortOrOrder() {
        given().queryParam("sort", "colour").get("/admin/queues").then().statusCode(400)
                .body("error", org.hamcrest.Matchers.startsWith("sort must be one of name, items, bytes"));
        given().queryParam("order", "up").get("/admin/queues").then().statusCode(400)
                .body("error", equalTo("order must be asc or desc, not 'up'"));
        given().queryParam("trend", "721").get("/admin/queues").then().statusCode(400);
    }

    private static JsonPath await(String path, Predicate<JsonPath> done) {
        return Awaitility.await(path).atMost(Duration.ofMillis(PATIENCE_MS)).pollInterval(Duration.ofMillis(100))
                .until(() -> given().get(path).then().statusCode(200).extract().jsonPath(), done::test);
    }
}
