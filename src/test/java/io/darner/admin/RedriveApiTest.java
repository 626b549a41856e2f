package io.darner.admin;

import io.darner.server.QueueListener;
import io.darner.testing.MemcacheClient;
import io.darner.testing.TempDataDir;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * POST /admin/queues/{name}/redrive: dead letters back to their origin queues (or to one named), in
 * order, counted afresh. Dead letters come from the fanout children of admin_poison (one failed
 * delivery each, see application.properties) into admin_dead, which each test empties first.
 */
@QuarkusTest
@QuarkusTestResource(TempDataDir.class)
class RedriveApiTest {
    private static final String DEAD = "admin_dead";

    @Inject
    QueueListener listener;

    @BeforeEach
    void emptyTheDeadLetterQueue() {
        Admin.authorized().post("/admin/queues/" + DEAD + "/flush");
    }

    /** Sets each item into the queue and fails it once, over the socket, so it is dead-lettered. */
    private void deadLetter(String queue, String... items) throws IOException {
        try (MemcacheClient c = new MemcacheClient(listener.port())) {
            for (String item : items) {
                assertEquals("STORED", c.set(queue, item));
                assertEquals(item, c.get(queue + "/open"));
                assertNull(c.get(queue + "/abort"));
                assertNull(c.get(queue), "dead-lettered when it comes to the head again");
            }
        }
    }

    private List<String> drain(String queue) throws IOException {
        List<String> out = new ArrayList<>();
        try (MemcacheClient c = new MemcacheClient(listener.port())) {
            for (String item = c.get(queue); item != null; item = c.get(queue)) {
                out.add(item);
            }
        }
        return out;
    }

    @Test
    void movesEveryDeadLetterBackToItsOriginInOrder() throws Exception {
        String jobs = "admin_poison+" + Admin.queueName("jobs");
        String mail = "admin_poison+" + Admin.queueName("mail");
        deadLetter(jobs, "j1");
        deadLetter(mail, "m1");
        deadLetter(jobs, "j2");
        given().get("/admin/queues/" + DEAD).then().statusCode(200).body("items", equalTo(3))
                .body("deadLetterQueue", equalTo(true));
        given().get("/admin/queues/" + jobs).then().body("deadLetterQueue", equalTo(false));

        Admin.authorized().post("/admin/queues/" + DEAD + "/redrive").then().statusCode(200)
                .contentType("application/json").body("moved", equalTo(3));

        assertEquals(List.of("j1", "j2"), drain(jobs));
        assertEquals(List.of("m1"), drain(mail));
        given().get("/admin/queues/" + DEAD).then().body("items", equalTo(0));
    }

    @Test
    void aLimitAndADestinationOfOnesOwn() throws Exception {
        String jobs = "admin_poison+" + Admin.queueName("jobs");
        String retry = Admin.queueName("retry");
        deadLetter(jobs, "a", "b", "c");

        Admin.authorized().queryParam("limit", 2).queryParam("to", retry).post("/admin/queues/" + DEAD + "/redrive")
                .then().statusCode(200).body("moved", equalTo(2));
        assertEquals(List.of("a", "b"), drain(retry));
        Admin.authorized().post("/admin/queues/" + DEAD + "/redrive").then().statusCode(200).body("moved", equalTo(1));
        assertEquals(List.of("c"), drain(jobs));
        Admin.authorized().post("/admin/queues/" + DEAD + "/redrive").then().statusCode(200).body("moved", equalTo(0));
    }

    @Test
    void itNeedsTheTokenAndAnswers404ForAnUnknownQueueAnd400ForBadInput() throws Exception {
        deadLetter("admin_poison+" + Admin.queueName("jobs"), "x");

        given().post("/admin/queues/" + DEAD + "/redrive").then().statusCode(401);
        given().header("Authorization", "Bearer wrong").post("/admin/queues/" + DEAD + "/redrive").then().statusCode(401);
        given().get("/admin/queues/" + DEAD).then().body("items", equalTo(1));
        Admin.authorized().post("/admin/queues/" + Admin.queueName("none") + "/redrive").then().statusCode(404)
                .body("error", org.hamcrest.Matchers.startsWith("no queue named"));
        for (String limit : List.of("0", "-1", "all", "1.5")) {
            Admin.authorized().queryParam("limit", limit).post("/admin/queues/" + DEAD + "/redrive").then()
                    .statusCode(400).body("error", org.hamcrest.Matchers.startsWith("limit must be an integer from 1"));
        }
        Admin.authorized().queryParam("to", DEAD).post("/admin/queues/" + DEAD + "/redrive").then().statusCode(400);
        Admin.authorized().queryParam("to", "a/b").post("/admin/queues/" + DEAD + "/redrive").then().statusCode(400);
        given().get("/admin/queues/" + DEAD).then().body("items", equalTo(1));
    }
}
