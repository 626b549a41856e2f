package io.darner.admin;

import io.darner.storage.StoreEngine;
import io.darner.storage.TestEngine;
import io.darner.server.QueueListener;
import io.darner.testing.MemcacheClient;
import io.darner.testing.TempDataDir;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

@QuarkusTest
@QuarkusTestResource(TempDataDir.class)
class ServerApiTest {
    @Inject
    QueueListener listener;

    @Test
    void statsAreTheFiguresOfTheStatsCommand() throws Exception {
        String name = Admin.queueName("stats");
        List<String> memcacheKeys = new ArrayList<>();
        try (MemcacheClient c = new MemcacheClient(listener.port())) {
            c.set(name, "abc");
            c.send("stats\r\n");
            for (String line = c.readLine(); !line.equals("END"); line = c.readLine()) {
                memcacheKeys.add(line.split(" ")[1]);
            }
            Map<String, String> stats = given().when().get("/admin/stats").then().statusCode(200)
                    .extract().jsonPath().getMap("$");
            // same fields in the same order (the connection above is still open, so figures agree too)
            assertEquals(memcacheKeys, new ArrayList<>(stats.keySet()));
            assertEquals("1", stats.get("queue_" + name + "_items"));
            assertEquals("3", stats.get("queue_" + name + "_bytes"));
            assertEquals(listener.version(), stats.get("version"));
            assertEquals(TestEngine.chosen().kind().word(), stats.get("store_engine"), "which LevelDB runs");
        }
    }

    @Test
    void theStoreEngineIsNamedWithItsSettingAndWhy() {
        StoreEngine chosen = TestEngine.chosen();
        given().when().get("/admin/store-engine").then().statusCode(200)
                .body("engine", equalTo(chosen.kind().word()))
                .body("setting", equalTo(TestEngine.setting()))
                .body("reason", equalTo(chosen.reason()));
    }

    @Test
    void statusCanBeReadAndChanged() {
        given().when().get("/admin/status").then().statusCode(200).body("status", equalTo("up"));
        try {
            Admin.authorized().contentType("application/json").body("{\"status\":\"QUIESCENT\"}").when()
                    .put("/admin/status").then().statusCode(200).body("status", equalTo("quiescent"));
            given().when().get("/admin/status").then().body("status", equalTo("quiescent"));
        } finally {
            Admin.authorized().contentType("application/json").body("{\"status\":\"up\"}").when()
                    .put("/admin/status").then().statusCode(200).body("status", equalTo("up"));
        }
    }

    @Test
    void aQuiescentServerRefusesMemcacheGets() throws Exception {
        try (MemcacheClient c = new MemcacheClient(listener.port())) {
            Admin.authorized().contentType("application/json").body("{\"status\":\"quiescent\"}").put("/admin/status")
                    .then().statusCode(200);
            assertEquals("SERVER_ERROR server is quiescent", c.call("get " + Admin.queueName("q")));
        } finally {
            Admin.authorized().contentType("application/json").body("{\"status\":\"up\"}").put("/admin/status")
                    .then().statusCode(200);
        }
    }

    @Test
    void refusesAnUnknownStatus() {
        Admin.authorized().contentType("application/json").body("{\"status\":\"sleepy\"}").when()
                .put("/admin/status").then().statusCode(400)
                .body("error", equalTo("status must be one of up, readonly, quiescent, as {\"status\": \"...\"}"));
        Admin.authorized().contentType("application/json").body("{}").when().put("/admin/status").then().statusCode(400);
        Admin.authorized().contentType("application/json").body("{not json").when().put("/admin/status")
                .then().statusCode(400).body("error", startsWith("malformed JSON body"));
        Admin.authorized().contentType("application/json").body("[1]").when().put("/admin/status")
                .then().statusCode(400).body("error", startsWith("malformed JSON body"));
        Admin.authorized().contentType("text/plain").body("up").when().put("/admin/status").then().statusCode(415);
        given().when().get("/admin/status").then().body("status", equalTo("up"));
    }

    @Test
    void flushAllEmptiesEveryQueue() throws Exception {
        String a = Admin.queueName("all_a");
        String b = Admin.queueName("all_b");
        try (MemcacheClient c = new MemcacheClient(listener.port())) {
            c.set(a, "1");
            c.set(b, "2");
        }
        Admin.authorized().when().post("/admin/flush-all").then().statusCode(204);
        given().when().get("/admin/queues/" + a).then().body("items", equalTo(0));
        given().when().get("/admin/queues/" + b).then().body("items", equalTo(0));
    }
}
