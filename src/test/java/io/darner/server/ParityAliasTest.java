package io.darner.server;

import io.darner.testing.MemcacheClient;
import io.darner.testing.TempDataDir;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.darner.server.ParityProfile.ALIAS;
import static io.darner.server.ParityProfile.ALIAS_DESTINATIONS;
import static io.darner.server.ParityProfile.ALIAS_ONE;
import static io.darner.server.ParityProfile.ALIAS_TIGHT;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Aliases (Kestrel's) over the socket: a set on one is a copy in each destination, all or none; a
 * get, peek or monitor on one answers END and makes no queue; stats and the admin API list them.
 * The aliases are configured in {@link ParityProfile}; each test drains the destinations it fills.
 */
@QuarkusTest
@TestProfile(ParityProfile.class)
@QuarkusTestResource(TempDataDir.class)
class ParityAliasTest extends ParityTestBase {

    @Test
    void aSetOnAnAliasIsACopyInEachDestination() throws Exception {
        MemcacheClient c = connect();
        assertEquals("STORED", c.set(ALIAS, 7, 0, ascii("hello")));
        c.send("set " + ALIAS + " 0 0 2 noreply\r\nhi\r\n");

        for (String q : ALIAS_DESTINATIONS) {
            MemcacheClient.Item item = c.send("get " + q + "\r\n").readItem();
            assertEquals(7, item.flags(), q);
            assertEquals("hello", item.text(), q);
            assertEquals(List.of("hi"), drainAll(q), q);
        }
        assertFalse(queueExists(ALIAS));
    }

    @Test
    void aGetPeekOrMonitorOnAnAliasAnswersEndAndMakesNoQueue() throws Exception {
        MemcacheClient c = connect();
        for (String request : List.of("get " + ALIAS, "get " + ALIAS + "/t=2000", "get " + ALIAS + "/peek",
                "get " + ALIAS + "/open", "get " + ALIAS + "/close", "get " + ALIAS + "/abort",
                "monitor " + ALIAS + " 2")) {
            assertEquals("END", c.call(request), request);
        }
        c.send("get " + ALIAS + " " + q + "\r\n");
        assertEquals("END", c.readLine());
        assertFalse(queueExists(ALIAS));
    }

    @Test
    void theServerStatusAppliesToAnAliasAsToAQueue() throws Exception {
        MemcacheClient c = connect();
        assertEquals("END", admin().call("status readonly"));
        try {
            assertEquals("SERVER_ERROR server is read-only", c.set(ALIAS, "x"));
            assertEquals("END", admin().call("status quiescent"));
            assertEquals("SERVER_ERROR server is quiescent", c.call("get " + ALIAS));
            assertEquals("END", c.call("get " + ALIAS + "/close"), "a close is allowed, and finds nothing to close");
        } finally {
            assertEquals("END", admin().call("status up"));
        }
        for (String q : ALIAS_DESTINATIONS) {
            assertNull(c.get(q));
        }
    }

    @Test
    void oneFullDestinationMakesTheSetNotStoredEverywhere() throws Exception {
        MemcacheClient c = connect();
        assertEquals("STORED", c.set(ALIAS_ONE, "first"));

        assertEquals("NOT_STORED", c.set(ALIAS_TIGHT, "second"));

        assertNull(c.get(ALIAS_DESTINATIONS.get(0)), "the other destination got nothing");
        assertEquals(List.of("first"), drainAll(ALIAS_ONE));
        assertEquals("STORED", c.set(ALIAS_TIGHT, "third"));
        assertEquals(List.of("third"), drainAll(ALIAS_DESTINATIONS.get(0)));
        assertEquals(List.of("third"), drainAll(ALIAS_ONE));
    }

    @Test
    void statsAndTheAdminApiListTheAliases() throws Exception {
        long before = Long.parseLong(stats().get("alias_" + ALIAS + "_total_items"));
        assertEquals("STORED", connect().set(ALIAS, "x"));

        Map<String, String> stats = stats();
        assertEquals(String.join(",", ALIAS_DESTINATIONS), stats.get("alias_" + ALIAS + "_destinations"));
        assertEquals(before + 1, Long.parseLong(stats.get("alias_" + ALIAS + "_total_items")));
        given().when().get("/admin/aliases").then().statusCode(200)
                .body("name", equalTo(List.of(ALIAS, ALIAS_TIGHT)))
                .body("[0].destinations", equalTo(ALIAS_DESTINATIONS))
                .body("[0].totalItems", equalTo((int) before + 1))
                .body("[1].destinations", hasItem(ALIAS_ONE));
        for (String q : ALIAS_DESTINATIONS) {
            assertEquals(List.of("x"), drainAll(q));
        }
        assertCountersConsistent();
    }
}
