package io.darner.server;

import io.darner.testing.MemcacheClient;
import io.darner.testing.TempDataDir;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.darner.queue.FaultyStoreRepository.FAULTS;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Storage faults behind the repository, seen over the socket: a write or an fsync that fails, a
 * full disk. The request that met the fault gets {@code SERVER_ERROR <reason>} and the connection
 * is kept; nothing is half-written; the queue holds exactly what it held once the fault clears;
 * readiness reports the fault meanwhile.
 */
@QuarkusTest
@TestProfile(FaultyStoreProfile.class)
@QuarkusTestResource(TempDataDir.class)
class StoreFaultsTest extends ServerTestBase {
    private static final String FULL_DISK = "IO error: 000012.log: No space left on device";

    @AfterEach
    void heal() {
        FAULTS.heal();
    }

    @Test
    void aFailedSetIsAnsweredServerErrorAndStoresNothing() throws Exception {
        fill(q, "a", "b");
        MemcacheClient c = connect();
        FAULTS.failWrites();

        assertEquals("SERVER_ERROR write failed: injected write failure", c.set(q, "lost"));
        assertEquals("SERVER_ERROR write failed: injected write failure", c.set(q, randomBytes(300 * 1024, 1)),
                "a large set fails as its first chunk is written");
        assertEquals("SERVER_ERROR write failed: injected write failure", c.set(q + ".new", "x"),
                "a set that would create a queue");
        assertAlive(c);
        assertEquals(2, queueStat(q, "items"));

        FAULTS.heal();
        assertEquals("STORED", c.set(q, "c"));
        assertDrains(q, "a", "b", "c");
        assertCountersConsistent();
    }

    /**
     * Pipelined sets whose puts wait for the end of the pass and then fail together: each is
     * answered with the failure, in its place among the other replies, and none of the items stays.
     */
    @Test
    void pipelinedSetsOfAFailedBatchAreEachAnsweredInOrder() throws Exception {
        fill(q, "a");
        MemcacheClient c = connect();
        FAULTS.failWrites();

        c.send("set " + q + " 0 0 1\r\nb\r\nversion\r\nset " + q + " 0 0 1\r\nc\r\nversion\r\n");

        assertEquals("SERVER_ERROR write failed: injected write failure", c.readLine());
        assertTrue(c.readLine().startsWith("VERSION "));
        assertEquals("SERVER_ERROR write failed: injected write failure", c.readLine());
        assertTrue(c.readLine().startsWith("VERSION "));
        assertAlive(c);
        assertEquals(1, queueStat(q, "items"));

        FAULTS.heal();
        assertDrains(q, "a");
        assertCountersConsistent();
    }

    @Test
    void aFullDiskIsReportedInTheRepliesAndByReadiness() throws Exception {
        fill(q, "a");
        MemcacheClient c = connect();
        FAULTS.failWrites(FULL_DISK);

        assertEquals("SERVER_ERROR write failed: " + FULL_DISK, c.set(q, "b"));
        given().get("/q/health/ready").then().statusCode(503)
                .body("checks.find { it.name == 'store' }.status", equalTo("DOWN"))
                .body("checks.find { it.name == 'store' }.data.lastWriteFailure", containsString("No space left"));

        FAULTS.heal();
        assertDrains(q, "a");
    }

    /** The item cannot be removed: the client is told, and the item stays for the next reader. */
    @Test
    void aPlainGetWhoseRemovalFailsIsAnErrorAndTheItemStaysAtTheHead() throws Exception {
        fill(q, "a", "b");
        MemcacheClient c = connect();
        FAULTS.failWrites();

        assertEquals("SERVER_ERROR write failed: injected write failure", c.call("get " + q));
        assertAlive(c);

        FAULTS.heal();
        assertDrains(q, "a", "b");
    }

    @Test
    void aConfirmThatFailsLeavesTheItemToBeDeliveredAgain() throws Exception {
        fill(q, "a", "b");
        MemcacheClient consumer = connect();
        assertEquals("a", consumer.get(q + "/open"));
        FAULTS.failWrites();

        assertEquals("SERVER_ERROR write failed: injected write failure", consumer.call("get " + q + "/close"));

        FAULTS.heal();
        assertEquals(0, queueStat(q, "open_transactions"));
        assertDrains(q, "a", "b");
    }

    /**
     * An fsync that fails: the client is not told STORED. The write itself reached LevelDB, so
     * the item is in the queue, but it may not survive a power loss: a client that resends after
     * a SERVER_ERROR gets the item twice at worst (at-least-once), never zero times.
     */
    @Test
    void aSyncSetWhoseFsyncFailsIsNotAcknowledged() throws Exception {
        MemcacheClient c = connect();
        FAULTS.failFsync();

        String reply = c.set(q + "/sync", "a");
        assertTrue(reply.startsWith("SERVER_ERROR write failed: Input/output error"), reply);
        assertEquals("STORED", c.set(q, "b"), "writes that need no fsync go on");
        given().get("/q/health/ready").then().statusCode(503)
                .body("checks.find { it.name == 'store' }.status", equalTo("DOWN"));

        FAULTS.heal();
        assertEquals("STORED", c.set(q + "/sync", "c"));
        assertDrains(q, "a", "b", "c");
    }

    /**
     * The reply to {@code /close/open} acknowledges the confirm as well as handing out the next
     * item: on a queue that syncs always it waits for the confirm's fsync, and when that fails the
     * client is told, and gets no item.
     */
    @Test
    void aCloseOpenWhoseConfirmIsNotFsyncedHandsOutNothing() throws Exception {
        String synced = FaultyStoreProfile.SYNCED;
        fill(synced, "a", "b");
        MemcacheClient consumer = connect();
        assertEquals("a", consumer.get(synced + "/open"));
        FAULTS.failFsync();

        String reply = consumer.call("get " + synced + "/close/open");
        assertTrue(reply.startsWith("SERVER_ERROR write failed: Input/output error"), reply);
        assertAlive(consumer);

        FAULTS.heal();
        assertEquals(0, queueStat(synced, "open_transactions"));
        assertDrains(synced, "b");
    }

    @Test
    void flushAndDeleteThatFailKeepTheQueueAsItWas() throws Exception {
        fill(q, "a", "b");
        MemcacheClient c = connect();
        FAULTS.failWrites();

        assertTrue(c.call("flush " + q).startsWith("SERVER_ERROR "));
        assertTrue(c.call("delete " + q).startsWith("SERVER_ERROR "));
        assertTrue(c.call("flush_all").startsWith("SERVER_ERROR "));

        FAULTS.heal();
        assertTrue(queueExists(q));
        assertDrains(q, "a", "b");
    }

}
