package io.darner.admin;

import io.darner.testing.TempDataDir;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;

@QuarkusTest
@TestProfile(ProtectedReadsProfile.class)
@QuarkusTestResource(TempDataDir.class)
class ProtectedReadsTest {

    @Test
    void readsNeedTheToken() {
        String name = Admin.queueName("protected");
        Admin.authorized().body("x").post("/admin/queues/" + name + "/items").then().statusCode(201);
        for (String path : new String[] {"/admin/queues", "/admin/queues/" + name, "/admin/queues/" + name + "/items",
                "/admin/queues/" + name + "/history", "/admin/stats", "/admin/status", "/admin/history"}) {
            given().get(path).then().statusCode(401);
            given().header("Authorization", "Bearer wrong").get(path).then().statusCode(401);
            Admin.authorized().get(path).then().statusCode(200);
        }
    }

    @Test
    void probesAndMetricsStayOpen() {
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/health/ready").then().statusCode(200);
        given().get("/q/health/started").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200);
    }
}
