package io.darner.admin;

import io.darner.testing.TempDataDir;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItems;

@QuarkusTest
@QuarkusTestResource(TempDataDir.class)
class HealthTest {

    @Test
    void livenessChecksTheEventLoops() {
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.find { it.name == 'event-loops' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'event-loops' }.data.eventLoops", greaterThan(0));
    }

    @Test
    void readyWhenStoreListenerStatusAndDiskAreFine() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", hasItems("store", "queue-listener", "server-status", "disk-space"))
                .body("checks.find { it.name == 'queue-listener' }.data.port", greaterThan(0))
                .body("checks.find { it.name == 'disk-space' }.data.minFreeBytes", equalTo(100 * 1024 * 1024));
    }

    @Test
    void startedOnceTheQueuesAreOpen() {
        given().get("/q/health/started").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.find { it.name == 'queues-opened' }.status", equalTo("UP"));
    }

    @Test
    void aQuiescentServerIsNotReadyButAlive() {
        try {
            setStatus("quiescent");
            given().get("/q/health/ready").then().statusCode(503).body("status", equalTo("DOWN"))
                    .body("checks.find { it.name == 'server-status' }.status", equalTo("DOWN"))
                    .body("checks.find { it.name == 'server-status' }.data.status", equalTo("quiescent"))
                    .body("checks.find { it.name == 'store' }.status", equalTo("UP"));
            given().get("/q/health/live").then().statusCode(200);
        } finally {
            setStatus("up");
        }
        given().get("/q/health/ready").then().statusCode(200);
    }

    @Test
    void aReadonlyServerStaysReady() {
        try {
            setStatus("readonly");
            given().get("/q/health/ready").then().statusCode(200)
                    .body("checks.find { it.name == 'server-status' }.data.status", equalTo("readonly"));
        } finally {
            setStatus("up");
        }
    }

    private static void setStatus(String status) {
        Admin.authorized().contentType("application/json").body("{\"status\":\"" + status + "\"}")
                .put("/admin/status").then().statusCode(200);
    }
}
