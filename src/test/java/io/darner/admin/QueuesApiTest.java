package io.darner.admin;

import io.darner.server.QueueListener;
import io.darner.testing.MemcacheClient;
import io.darner.testing.TempDataDir;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(TempDataDir.class)
class QueuesApiTest {
    @Inject
    QueueListener listener;

    @Test
    void listsQueuesSortedWithTheirFiguresAndSettings() throws Exception {
        String b = Admin.queueName("list_b");
        String a = Admin.queueName("list_a");
        try (MemcacheClient c = new MemcacheClient(listener.port())) {
            c.set(a, "one");
            c.set(a, "two");
            c.set(b, "three");
        }
        List<String> names = given().queryParam("limit", 1000).when().get("/admin/queues")
                .then().statusCode(200).body("offset", equalTo(0)).body("limit", equalTo(1000))
                .extract().jsonPath().getList("queues.name");
        assertTrue(names.indexOf(a) >= 0 && names.indexOf(a) < names.indexOf(b), "sorted by name: " + names);
        assertEquals(names.stream().sorted().toList(), names);

        given().when().get("/admin/queues/" + a).then().statusCode(200)
                .body("name", equalTo(a)).body("items", equalTo(2)).body("bytes", equalTo(6))
                .body("totalItems", equalTo(2)).body("openReads", equalTo(0)).body("waiters", equalTo(0))
                .body("settings.maxItems", nullValue()).body("settings.sync", equalTo("never"))
                .body("settings.maxItemSize", equalTo(32 * 1024 * 1024));
    }

    @Test
    void showsTheDelayedItemsAndSortsByThem() throws Exception {
        String none = Admin.queueName("delayed_none");
        String two = Admin.queueName("delayed_two");
        try (MemcacheClient c = new MemcacheClient(listener.port())) {
            c.set(none, "x");
            c.set(two + "/delay=600000", "a");
            c.set(two + "/delay=600000", "b");
        }
        given().when().get("/admin/queues/" + two).then().statusCode(200)
                .body("items", equalTo(0)).body("delayed", equalTo(2));
        List<String> byDelayed = given().queryParam("limit", 1000).queryParam("sort", "delayed")
                .queryParam("order", "desc").get("/admin/queues").jsonPath().getList("queues.name");
        assertTrue(byDelayed.indexOf(two) < byDelayed.indexOf(none), "most delayed first: " + byDelayed);
        Admin.authorized().when().delete("/admin/queues/" + two).then().statusCode(204);
    }

    @Test
    void pagesThroughTheQueues() throws Exception {
        String prefix = Admin.queueName("page");
        try (MemcacheClient c = new MemcacheClient(listener.port())) {
            for (int i = 0; i < 3; i++) {
                c.set(prefix + "_" + i, "x");
            }
        }
        List<String> all = given().queryParam("limit", 1000).get("/admin/queues").jsonPath().getList("queues.name");
        int first = all.indexOf(prefix + "_0");
        given().queryParam("offset", first).queryParam("limit", 2).when().get("/admin/queues")
                .then().statusCode(200).body("total", greaterThanOrEqualTo(3)).body("offset", equalTo(first))
                .body("limit", equalTo(2)).body("queues.name", equalTo(List.of(prefix + "_0", prefix + "_1")));
        given().queryParam("offset", 1_000_000).when().get("/admin/queues")
                .then().statusCode(200).body("queues.size()", equalTo(0));
        given().when().get("/admin/queues").then().statusCode(200).body("limit", equalTo(100));
    }

    @Test
    void refusesPagesOutOfRange() {
        for (String[] bad : new String[][] {{"limit", "0"}, {"limit", "1001"}, {"limit", "ten"}, {"offset", "-1"}}) {
            given().queryParam(bad[0], bad[1]).when().get("/admin/queues").then().statusCode(400)
                    .body("error", equalTo(bad[0] + " must be an integer from " + (bad[0].equals("limit") ? 1 : 0)
                            + " to " + (bad[0].equals("limit") ? 1000 : Integer.MAX_VALUE) + ", not '" + bad[1] + "'"));
        }
    }

    @Test
    void anUnknownQueueIs404AndIsNotCreatedByLooking() {
        String name = Admin.queueName("ghost");
        given().when().get("/admin/queues/" + name).then().statusCode(404)
                .body("error", equalTo("no queue named '" + name + "'"));
        given().when().get("/admin/queues/" + name + "/items").then().statusCode(404);
        Admin.authorized().when().post("/admin/queues/" + name + "/flush").then().statusCode(404);
        Admin.authorized().when().delete("/admin/queues/" + name).then().statusCode(404);
        List<String> names = given().queryParam("limit", 1000).get("/admin/queues").jsonPath().getList("queues.name");
        assertFalse(names.contains(name));
    }

    @Test
    void aBadQueueNameIs400() {
        given().when().get("/admin/queues/bad name").then().statusCode(400)
                .body("error", equalTo("invalid queue name: 'bad name'"));
        given().when().get("/admin/queues/" + "x".repeat(251)).then().statusCode(400);
        Admin.authorized().when().delete("/admin/queues/bad*name").then().statusCode(400);
        Admin.authorized().when().post("/admin/queues/bad*name/flush").then().statusCode(400);
    }

    @Test
    void flushEmptiesTheQueueForMemcacheClientsToo() throws Exception {
        String name = Admin.queueName("flush");
        try (MemcacheClient c = new MemcacheClient(listener.port())) {
            c.set(name, "a");
            c.set(name, "b");
            Admin.authorized().when().post("/admin/queues/" + name + "/flush").then().statusCode(204);
            given().when().get("/admin/queues/" + name).then().statusCode(200)
                    .body("items", equalTo(0)).body("totalFlushes", equalTo(1));
            assertNull(c.get(name));
        }
    }

    @Test
    void deleteRemovesTheQueue() throws Exception {
        String name = Admin.queueName("delete");
        try (MemcacheClient c = new MemcacheClient(listener.port())) {
            c.set(name, "a");
        }
        Admin.authorized().when().delete("/admin/queues/" + name).then().statusCode(204);
        given().when().get("/admin/queues/" + name).then().statusCode(404);
        List<String> names = given().queryParam("limit", 1000).get("/admin/queues").jsonPath().getList("queues.name");
        assertFalse(names.contains(name));
    }

    @Test
    void showsFanoutChildren() throws Exception {
        String parent = Admin.queueName("fan");
        try (MemcacheClient c = new MemcacheClient(listener.port())) {
            c.set(parent + "+one", "x");
            c.set(parent + "+two", "x");
            c.set(parent, "copied");
        }
        given().when().get("/admin/queues/" + parent).then().statusCode(200)
                .body("children", hasItems(parent + "+one", parent + "+two"));
        given().when().get("/admin/queues/" + parent + "+one").then().statusCode(200).body("items", equalTo(2));
    }

    @Test
    void unknownPathsAndMethodsAnswerJsonErrors() {
        given().when().get("/admin/nothing-here").then().statusCode(404).body("error", notNullValue());
        Admin.authorized().when().patch("/admin/status").then().statusCode(405).body("error", notNullValue());
    }
}
