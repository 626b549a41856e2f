package io.darner.server;

import io.darner.testing.MemcacheClient;
import io.darner.testing.TempDataDir;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import static io.darner.server.ParityProfile.IDLE;
import static io.darner.server.ParityProfile.IDLE_MS;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * delete-when-idle over the socket: the server's sweep deletes an idle empty queue, counts it in
 * {@code queue_expires} and the metrics, and a set brings it back. The queues are fanout children of
 * {@link ParityProfile#IDLE}, whose entry they inherit; the server's clock is moved, not waited for.
 */
@QuarkusTest
@TestProfile(ParityProfile.class)
@QuarkusTestResource(TempDataDir.class)
class ParityIdleTest extends ParityTestBase {

    @Test
    void anIdleEmptyQueueGoesAwayCountedAndASetBringsItBack() throws Exception {
        String queue = IDLE + "+" + q;
        String busy = IDLE + "+" + q + ".busy";
        MemcacheClient c = connect();
        assertEquals("STORED", c.set(queue, "a"));
        assertEquals("a", c.get(queue));
        assertEquals("STORED", c.set(busy, "kept"));
        long before = globalStat("queue_expires");

        clock.advanceMillis(IDLE_MS);

        awaitStat("queue_expires", v -> v == before + 1);
        assertFalse(queueExists(queue));
        assertTrue(queueExists(busy), "a queue that holds items stays");
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("darner_queues_idle_deleted_total " + (double) (before + 1)));
        assertNull(c.get(queue), "a get finds it empty, new");
        assertEquals("STORED", c.set(queue, "b"));
        assertEquals(1, queueStat(queue, "total_items"));
        assertEquals("b", c.get(queue));
        assertEquals("kept", c.get(busy));
    }
}
