package io.darner.admin;

import io.darner.testing.TempDataDir;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
@TestProfile(LowDiskProfile.class)
@QuarkusTestResource(TempDataDir.class)
class LowDiskHealthTest {

    @Test
    void lowDiskSpaceMakesTheServerNotReady() {
        given().get("/q/health/ready").then().statusCode(503).body("status", equalTo("DOWN"))
                .body("checks.find { it.name == 'disk-space' }.status", equalTo("DOWN"))
                .body("checks.find { it.name == 'store' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'server-status' }.status", equalTo("UP"));
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/health/started").then().statusCode(200);
    }
}
