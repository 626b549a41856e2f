package io.darner.admin;

import io.darner.testing.TempDataDir;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

/** The test app has a token (application.properties, %test) and open reads. */
@QuarkusTest
@QuarkusTestResource(TempDataDir.class)
class TokenTest {

    @Test
    void everyChangeNeedsTheToken() {
        String name = Admin.queueName("token");
        Admin.authorized().body("x").post("/admin/queues/" + name + "/items").then().statusCode(201);
        for (String authorization : new String[] {null, "Bearer not-the-token", "Basic " + Admin.TOKEN,
                "Bearer " + Admin.TOKEN + "x", "Bearer"}) {
            sending(authorization).body("y").post("/admin/queues/" + name + "/items").then().statusCode(401)
                    .header("WWW-Authenticate", "Bearer")
                    .body("error", equalTo("missing or wrong admin token (Authorization: Bearer <token>)"));
            sending(authorization).post("/admin/queues/" + name + "/flush").then().statusCode(401);
            sending(authorization).delete("/admin/queues/" + name).then().statusCode(401);
            sending(authorization).post("/admin/flush-all").then().statusCode(401);
            sending(authorization).contentType("application/json").body("{\"status\":\"readonly\"}")
                    .put("/admin/status").then().statusCode(401);
        }
        given().get("/admin/status").then().body("status", equalTo("up"));
        given().get("/admin/queues/" + name).then().statusCode(200).body("items", equalTo(1));
    }

    private static RequestSpecification sending(String authorization) {
        return authorization == null ? given() : given().header("Authorization", authorization);
    }

    @Test
    void readsStayOpenWithoutProtectReads() {
        given().get("/admin/queues").then().statusCode(200);
        given().get("/admin/stats").then().statusCode(200);
        given().get("/admin/status").then().statusCode(200);
    }

    @Test
    void healthMetricsOpenApiAndTheConsoleNeedNoToken() {
        given().get("/q/health").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200);
        given().get("/q/openapi").then().statusCode(200);
        given().get("/").then().statusCode(200);
    }
}
