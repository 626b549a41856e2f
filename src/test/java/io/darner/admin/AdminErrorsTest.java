package io.darner.admin;

import io.darner.testing.TempDataDir;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every endpoint of the admin API with bad input: each answer is one of the documented codes (the
 * README's list, {@link #DOCUMENTED}) with a JSON error body, never a 500. And a new queue past
 * darner.max-queues is a 409 that says so.
 */
@QuarkusTest
@TestProfile(FewQueuesProfile.class)
@QuarkusTestResource(TempDataDir.class)
class AdminErrorsTest {
    /** The codes the README lists for the admin API. */
    static final Set<Integer> DOCUMENTED = Set.of(200, 201, 204, 400, 401, 403, 404, 405, 406, 409, 413, 415);

    private static final String LONG_NAME = "q".repeat(251);
    private final Set<Integer> seen = new TreeSet<>();

    private static final List<String> BAD_NAMES = List.of("..", ".", "a%20b", "a%2Fb", "%C3%BC", LONG_NAME, "a+", "+b", "a+b+c");

    @Test
    void aNewQueuePastMaxQueuesIsAConflictThatSaysSo() {
        int created = 0;
        Response r;
        do {
            r = Admin.authorized().body("x").post("/admin/queues/" + Admin.queueName("many") + "/items");
            created++;
        } while (r.statusCode() == 201 && created <= FewQueuesProfile.MAX_QUEUES);
        r.then().statusCode(409).contentType("application/json")
                .body("error", equalTo("too many queues (darner.max-queues=3): delete queues, or raise the limit"));
        given().get("/admin/queues").then().statusCode(200).body("total", equalTo(FewQueuesProfile.MAX_QUEUES));
    }

    @Test
    void noEndpointAnswers500ToBadInput() {
        Admin.authorized().body("x").post("/admin/queues/walk/items"); // may be refused once the queues are used up
        List<String> answers = new ArrayList<>();
        List<Supplier<Response>> requests = new ArrayList<>();
        for (String limit : List.of("0", "-1", "ten", "1001", "99999999999999999999", "1e3", " ")) {
            requests.add(() -> given().queryParam("limit", limit).get("/admin/queues"));
            requests.add(() -> given().queryParam("offset", limit).get("/admin/queues"));
            requests.add(() -> given().queryParam("limit", limit).get("/admin/queues/walk/items"));
            requests.add(() -> authorized().queryParam("limit", limit).post("/admin/queues/walk/redrive"));
        }
        for (String name : BAD_NAMES) {
            requests.add(() -> given().urlEncodingEnabled(false).get("/admin/queues/" + name));
            requests.add(() -> given().urlEncodingEnabled(false).get("/admin/queues/" + name + "/items"));
            requests.add(() -> authorized().urlEncodingEnabled(false).body("x").post("/admin/queues/" + name + "/items"));
            requests.add(() -> authorized().urlEncodingEnabled(false).post("/admin/queues/" + name + "/flush"));
            requests.add(() -> authorized().urlEncodingEnabled(false).delete("/admin/queues/" + name));
            requests.add(() -> authorized().urlEncodingEnabled(false).post("/admin/queues/" + name + "/redrive"));
            requests.add(() -> authorized().urlEncodingEnabled(false).post("/admin/queues/walk/redrive?to=" + name));
        }
        requests.add(() -> authorized().post("/admin/queues/walk/redrive?to=walk"));
        for (String unknown : List.of("nosuch", "nosuch+child")) {
            requests.add(() -> given().get("/admin/queues/" + unknown));
            requests.add(() -> given().get("/admin/queues/" + unknown + "/items"));
            requests.add(() -> authorized().post("/admin/queues/" + unknown + "/flush"));
            requests.add(() -> authorized().delete("/admin/queues/" + unknown));
            requests.add(() -> authorized().post("/admin/queues/" + unknown + "/redrive"));
        }
        for (String[] param : new String[][] {{"flags", "-1"}, {"flags", "4294967296"}, {"flags", "x"},
                {"exptime", "soon"}, {"exptime", "99999999999999999999"}, {"exptime", "-9223372036854775808"}}) {
            requests.add(() -> authorized().queryParam(param[0], param[1]).body("x").post("/admin/queues/walk/items"));
        }
        requests.add(() -> authorized().body("x".repeat(2048)).post("/admin/queues/admin_small/items"));
        requests.add(() -> authorized().body("a").post("/admin/queues/admin_full/items"));
        requests.add(() -> authorized().body("b").post("/admin/queues/admin_full/items"));
        requests.add(() -> authorized().contentType("application/octet-stream").body(new byte[0]).post("/admin/queues/walk/items"));
        for (String body : List.of("", "{", "[]", "null", "{\"status\": 5}", "{\"status\": null}", "{\"status\": \"maybe\"}",
                "{\"state\": \"up\"}", "\"up\"")) {
            requests.add(() -> authorized().contentType("application/json").body(body).put("/admin/status"));
        }
        requests.add(() -> authorized().contentType("text/plain").body("up").put("/admin/status"));
        requests.add(() -> authorized().put("/admin/status"));
        for (String authorization : new String[] {null, "Bearer wrong", "Basic x", "Bearer"}) {
            requests.add(() -> withAuthorization(authorization).body("x").post("/admin/queues/walk/items"));
            requests.add(() -> withAuthorization(authorization).post("/admin/queues/walk/flush"));
            requests.add(() -> withAuthorization(authorization).delete("/admin/queues/walk"));
            requests.add(() -> withAuthorization(authorization).post("/admin/flush-all"));
        }
        requests.add(() -> given().delete("/admin/stats"));
        requests.add(() -> authorized().put("/admin/queues"));
        requests.add(() -> authorized().get("/admin/flush-all"));
        requests.add(() -> authorized().post("/admin/status"));
        requests.add(() -> given().get("/admin/nothing-here"));
        requests.add(() -> given().accept("text/plain").get("/admin/queues"));
        requests.add(() -> given().accept("application/xml").get("/admin/stats"));

        for (String status : List.of("readonly", "quiescent")) {
            authorized().contentType("application/json").body("{\"status\":\"" + status + "\"}").put("/admin/status")
                    .then().statusCode(200);
            try {
                answers.add(walk(List.of(
                        () -> authorized().body("x").post("/admin/queues/walk/items"),
                        () -> authorized().post("/admin/queues/walk/flush"),
                        () -> authorized().post("/admin/flush-all"),
                        () -> authorized().delete("/admin/queues/walk"))));
            } finally {
                authorized().contentType("application/json").body("{\"status\":\"up\"}").put("/admin/status")
                        .then().statusCode(200);
            }
        }
        answers.add(walk(requests));
        assertEquals(List.of(), answers.stream().filter(a -> !a.isEmpty()).toList());
        assertTrue(seen.containsAll(Set.of(400, 401, 404, 405, 406, 409, 413, 415)), "the walk met " + seen);
    }

    /** Sends each request; returns what was wrong with the answers, empty when nothing. */
    private String walk(List<Supplier<Response>> requests) {
        StringBuilder wrong = new StringBuilder();
        for (int i = 0; i < requests.size(); i++) {
            Response r = requests.get(i).get();
            int code = r.statusCode();
            seen.add(code);
            String body = r.asString();
            boolean jsonError = code < 400 || (r.contentType().startsWith("application/json") && body.contains("\"error\""));
            if (!DOCUMENTED.contains(code) || !jsonError) {
                wrong.append("request ").append(i).append(": ").append(code).append(' ').append(r.contentType()).append(' ').append(body).append('\n');
            }
        }
        return wrong.toString();
    }

    private static RequestSpecification authorized() {
        return Admin.authorized();
    }

    private static RequestSpecification withAuthorization(String authorization) {
        return authorization == null ? given() : given().header("Authorization", authorization);
    }
}
