package io.darner.admin;

import io.restassured.specification.RequestSpecification;

import java.util.concurrent.atomic.AtomicInteger;

import static io.restassured.RestAssured.given;

/** What the admin tests share: the test token (application.properties, %test) and unique queue names. */
final class Admin {
    static final String TOKEN = "test-admin-token";
    private static final AtomicInteger NEXT = new AtomicInteger();

    private Admin() {}

    /** A request that carries the admin token. */
    static RequestSpecification authorized() {
        return given().header("Authorization", "Bearer " + TOKEN);
    }

    /** A queue name no other test uses. */
    static String queueName(String prefix) {
        return "admin_" + prefix + "_" + NEXT.incrementAndGet();
    }
}
