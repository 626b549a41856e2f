package io.darner.admin;

import io.darner.server.QueueListener;
import io.darner.testing.MemcacheClient;
import io.darner.testing.TempDataDir;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(TempDataDir.class)
class ItemsApiTest {
    private static final int PREVIEW = 64 * 1024;

    @Inject
    QueueListener listener;

    @Test
    void peeksWithoutTaking() throws Exception {
        String name = Admin.queueName("peek");
        long before = System.currentTimeMillis();
        try (MemcacheClient c = new MemcacheClient(listener.port())) {
            c.set(name, "first");
            c.send("set " + name + " 42 3600 3\r\n").send(new byte[] {(byte) 0xff, 0, 1}).send("\r\n");
            assertEquals("STORED", c.readLine());
        }
        JsonPath items = given().when().get("/admin/queues/" + name + "/items").then().statusCode(200).extract().jsonPath();
        assertEquals(2, items.getList("$").size());
        assertEquals(0, items.getInt("[0].position"));
        assertEquals(5, items.getInt("[0].size"));
        assertEquals(0, items.getLong("[0].flags"));
        assertEquals("text", items.getString("[0].encoding"));
        assertEquals("first", items.getString("[0].payload"));
        assertEquals(false, items.getBoolean("[0].truncated"));
        assertEquals(null, items.getString("[0].expiresAt"));
        assertEquals(0, items.getInt("[0].deliveries"));
        assertFalse(Instant.parse(items.getString("[0].enqueuedAt")).isBefore(Instant.ofEpochMilli(before)));

        assertEquals(1, items.getInt("[1].position"));
        assertEquals(42, items.getLong("[1].flags"));
        assertEquals("base64", items.getString("[1].encoding"));
        assertEquals(Base64.getEncoder().encodeToString(new byte[] {(byte) 0xff, 0, 1}), items.getString("[1].payload"));
        Instant expires = Instant.parse(items.getString("[1].expiresAt"));
        assertTrue(expires.isAfter(Instant.now().plusSeconds(3500)), "expires in an hour: " + expires);

        given().queryParam("limit", 1).when().get("/admin/queues/" + name + "/items")
                .then().statusCode(200).body("size()", equalTo(1)).body("[0].payload", equalTo("first"));
        given().when().get("/admin/queues/" + name).then().body("items", equalTo(2));
        try (MemcacheClient c = new MemcacheClient(listener.port())) {
            assertEquals("first", c.get(name));
        }
    }

    @Test
    void showsTheCountOfUnconfirmedDeliveries() throws Exception {
        String name = Admin.queueName("deliveries");
        try (MemcacheClient c = new MemcacheClient(listener.port())) {
            c.set(name, "retry me");
            assertEquals("retry me", c.get(name + "/open"));
            assertEquals("END", c.call("get " + name + "/abort"));
        }
        given().when().get("/admin/queues/" + name + "/items").then().statusCode(200)
                .body("[0].deliveries", equalTo(1)).body("[0].payload", equalTo("retry me"));
    }

    @Test
    void refusesPeekLimitsOutOfRange() {
        String name = Admin.queueName("peeklimit");
        Admin.authorized().body("x").when().post("/admin/queues/" + name + "/items").then().statusCode(201);
        for (String bad : new String[] {"0", "101", "-3", "many"}) {
            given().queryParam("limit", bad).when().get("/admin/queues/" + name + "/items").then().statusCode(400)
                    .body("error", equalTo("limit must be an integer from 1 to 100, not '" + bad + "'"));
        }
        given().queryParam("limit", 100).when().get("/admin/queues/" + name + "/items").then().statusCode(200);
    }

    @Test
    void leavesExpiredItemsOut() {
        String name = Admin.queueName("expired");
        Admin.authorized().queryParam("exptime", -1).body("gone").when().post("/admin/queues/" + name + "/items")
                .then().statusCode(201);
        Admin.authorized().body("here").when().post("/admin/queues/" + name + "/items").then().statusCode(201);
        given().when().get("/admin/queues/" + name + "/items").then().statusCode(200)
                .body("size()", equalTo(1)).body("[0].payload", equalTo("here")).body("[0].position", equalTo(0));
    }

    @Test
    void aLargeItemIsShownTruncatedAndStoredWhole() throws Exception {
        String name = Admin.queueName("large");
        byte[] data = new byte[200_000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) ('a' + i % 26);
        }
        Admin.authorized().body(data).when().post("/admin/queues/" + name + "/items")
                .then().statusCode(201).body("queue", equalTo(name)).body("size", equalTo(data.length));
        JsonPath item = given().when().get("/admin/queues/" + name + "/items").then().statusCode(200).extract().jsonPath();
        assertEquals(data.length, item.getInt("[0].size"));
        assertEquals(true, item.getBoolean("[0].truncated"));
        assertEquals("text", item.getString("[0].encoding"));
        assertEquals(new String(data, 0, PREVIEW, StandardCharsets.US_ASCII), item.getString("[0].payload"));
        try (MemcacheClient c = new MemcacheClient(listener.port())) {
            assertArrayEquals(data, c.getBytes(name));
        }
    }

    @Test
    void enqueuesWithFlagsAndExptime() throws Exception {
        String name = Admin.queueName("enqueue");
        Admin.authorized().queryParam("flags", 4294967295L).queryParam("exptime", 600)
                .body("héllo".getBytes(StandardCharsets.UTF_8))
                .when().post("/admin/queues/" + name + "/items")
                .then().statusCode(201).body("queue", equalTo(name)).body("size", equalTo(6));
        given().when().get("/admin/queues/" + name + "/items").then()
                .body("[0].flags", equalTo(4294967295L)).body("[0].payload", equalTo("héllo"))
                .body("[0].expiresAt", notNullValue());
        try (MemcacheClient c = new MemcacheClient(listener.port())) {
            c.send("get " + name + "\r\n");
            assertEquals("VALUE " + name + " 4294967295 6", c.readLine());
        }
    }

    @Test
    void enqueuesADelayedItem() throws Exception {
        String name = Admin.queueName("enqueue_delayed");
        Admin.authorized().queryParam("delay", 600_000).body("later").when().post("/admin/queues/" + name + "/items")
                .then().statusCode(201);
        given().when().get("/admin/queues/" + name).then().body("items", equalTo(0)).body("delayed", equalTo(1));
        given().when().get("/admin/queues/" + name + "/items").then().body("size()", equalTo(0));
        Admin.authorized().queryParam("delay", 2_592_000_001L).body("x").when().post("/admin/queues/" + name + "/items")
                .then().statusCode(400).body("error", equalTo("delay must be an integer from 0 to 2592000000, not "
                        + "'2592000001'"));
        Admin.authorized().when().delete("/admin/queues/" + name).then().statusCode(204);
    }

    @Test
    void anEmptyBodyIsAnEmptyItem() {
        String name = Admin.queueName("empty");
        Admin.authorized().body(new byte[0]).when().post("/admin/queues/" + name + "/items")
                .then().statusCode(201).body("size", equalTo(0));
        given().when().get("/admin/queues/" + name + "/items").then().body("[0].size", equalTo(0))
                .body("[0].payload", equalTo("")).body("[0].expiresAt", nullValue());
    }

    @Test
    void refusesBadArguments() {
        String name = Admin.queueName("badargs");
        Admin.authorized().queryParam("flags", -1).body("x").when().post("/admin/queues/" + name + "/items")
                .then().statusCode(400).body("error", equalTo("flags must be an integer from 0 to 4294967295, not '-1'"));
        Admin.authorized().queryParam("flags", 4294967296L).body("x").when().post("/admin/queues/" + name + "/items")
                .then().statusCode(400);
        Admin.authorized().queryParam("exptime", "soon").body("x").when().post("/admin/queues/" + name + "/items")
                .then().statusCode(400);
        Admin.authorized().body("x").when().post("/admin/queues/no spaces/items")
                .then().statusCode(400).body("error", equalTo("invalid queue name: 'no spaces'"));
        given().when().get("/admin/queues/" + name).then().statusCode(404);
    }

    @Test
    void anItemOverTheQueuesLimitIs413() {
        Admin.authorized().body(new byte[1025]).when().post("/admin/queues/admin_small/items")
                .then().statusCode(413).body("error", equalTo("item larger than the maximum item size of 1024 bytes"));
        Admin.authorized().body(new byte[1024]).when().post("/admin/queues/admin_small/items").then().statusCode(201);
    }

    @Test
    void anItemOverTheServersLimitIs413BeforeItsBodyIsSent() throws Exception {
        try (Socket http = new Socket("127.0.0.1", RestAssured.port)) {
            http.setSoTimeout(10_000);
            String request = "POST /admin/queues/" + Admin.queueName("huge") + "/items HTTP/1.1\r\nHost: localhost\r\n"
                    + "Authorization: Bearer " + Admin.TOKEN + "\r\nContent-Length: " + (32 * 1024 * 1024 + 1) + "\r\n\r\n";
            http.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            String status = new BufferedReader(new InputStreamReader(http.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
            assertEquals("HTTP/1.1 413 Request Entity Too Large", status);
        }
    }

    @Test
    void aFullQueueIs409() {
        Admin.authorized().body("only").when().post("/admin/queues/admin_full/items").then().statusCode(201);
        Admin.authorized().body("more").when().post("/admin/queues/admin_full/items").then().statusCode(409)
                .body("error", equalTo("not stored: queue 'admin_full' is full"));
    }

    @Test
    void aReadonlyServerRefusesWithConflict() throws Exception {
        String name = Admin.queueName("readonly");
        Admin.authorized().body("kept").when().post("/admin/queues/" + name + "/items").then().statusCode(201);
        try {
            Admin.authorized().contentType("application/json").body("{\"status\":\"readonly\"}").put("/admin/status")
                    .then().statusCode(200);
            Admin.authorized().body("refused").when().post("/admin/queues/" + name + "/items")
                    .then().statusCode(409).body("error", equalTo("server is read-only"));
            Admin.authorized().when().post("/admin/queues/" + name + "/flush").then().statusCode(409);
            Admin.authorized().when().delete("/admin/queues/" + name).then().statusCode(409);
            Admin.authorized().when().post("/admin/flush-all").then().statusCode(409);
            given().when().get("/admin/queues/" + name + "/items").then().statusCode(200).body("size()", equalTo(1));
        } finally {
            Admin.authorized().contentType("application/json").body("{\"status\":\"up\"}").put("/admin/status")
                    .then().statusCode(200);
        }
        given().when().get("/admin/queues/" + name).then().body("items", equalTo(1));
    }

    @Test
    void anItemSetOverTheApiIsSeenOverMemcache() throws Exception {
        String name = Admin.queueName("both");
        byte[] binary = {0, (byte) 0x80, 13, 10};
        Admin.authorized().body(binary).when().post("/admin/queues/" + name + "/items").then().statusCode(201);
        try (MemcacheClient c = new MemcacheClient(listener.port())) {
            assertArrayEquals(binary, c.getBytes(name));
        }
    }
}
