package io.darner.admin;

import io.darner.testing.TempDataDir;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(TempDataDir.class)
class OpenApiTest {

    @Test
    void describesEveryEndpoint() {
        given().queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                .body("info.title", equalTo("Darner admin API"))
                .body("paths", hasKey("/admin/queues"))
                .body("paths", hasKey("/admin/queues/{name}"))
                .body("paths", hasKey("/admin/queues/{name}/items"))
                .body("paths", hasKey("/admin/queues/{name}/flush"))
                .body("paths", hasKey("/admin/flush-all"))
                .body("paths", hasKey("/admin/stats"))
                .body("paths", hasKey("/admin/status"))
                .body("paths", hasKey("/admin/store-engine"))
                .body("paths", hasKey("/admin/history"))
                .body("paths", hasKey("/admin/queues/{name}/history"))
                .body("paths.'/admin/queues'.get.parameters.name", hasItems("filter", "sort", "order", "trend"))
                .body("components.schemas.Rates.properties", hasKey("bytesOutPerSecond"))
                .body("components.schemas.QueueView.properties", hasKey("rates"))
                .body("components.schemas.QueuePage.properties", hasKey("rates"))
                .body("components.schemas.HistoryView.properties", hasKey("oldestAgeMs"))
                .body("paths.'/admin/queues/{name}'.delete.responses", hasKey("404"))
                .body("paths.'/admin/queues/{name}/items'.post.responses", hasKey("413"))
                .body("paths.'/admin/queues/{name}/items'.post.security", notNullValue())
                .body("paths.'/admin/queues/{name}/items'.post.responses", hasKey("409"))
                .body("paths.'/admin/queues/{name}/items'.post.responses", hasKey("403"))
                .body("paths.'/admin/status'.put.responses", hasKey("415"))
                .body("components.securitySchemes.adminToken.scheme", equalTo("bearer"));
    }

    /** Every code the README lists is in the document: framework answers (405, 406) in its description. */
    @Test
    void listsEveryCodeTheApiAnswers() {
        String description = given().queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                .extract().jsonPath().getString("info.description");
        for (int code : AdminErrorsTest.DOCUMENTED) {
            if (code >= 400) {
                assertTrue(description.contains(code + " "), code + " is not in: " + description);
            }
        }
        assertTrue(description.contains("500 "), description);
    }

    /** The document is YAML unless JSON is asked for, by ?format=json, an Accept header or the .json path. */
    @Test
    void servesYamlOrJsonAsAsked() {
        given().get("/q/openapi").then().statusCode(200).contentType(startsWith("application/yaml"))
                .body(containsString("title: Darner admin API"));
        given().get("/q/openapi.yaml").then().statusCode(200).contentType(startsWith("application/yaml"));
        given().queryParam("format", "JSON").get("/q/openapi").then().statusCode(200)
                .contentType(startsWith("application/json")).body("info.title", equalTo("Darner admin API"));
        given().accept("application/json").get("/q/openapi").then().statusCode(200)
                .contentType(startsWith("application/json"));
        given().get("/q/openapi.json").then().statusCode(200).body("info.title", equalTo("Darner admin API"));
        given().queryParam("format", "yaml").accept("application/json").get("/q/openapi").then()
                .contentType(startsWith("application/yaml"));
    }

    @Test
    void servesSwaggerUi() {
        given().get("/q/swagger-ui/").then().statusCode(200);
    }
}
