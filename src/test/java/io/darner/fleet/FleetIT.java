package io.darner.fleet;

import io.darner.testing.ItemId;
import io.darner.testing.MemcacheClient;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A fleet on one machine: three packaged servers, each on its own port and data directory, that
 * never talk to each other; producers spread items over them and consumers long-poll all of them
 * (the model of Kestrel and Darner, and of deploy/). One server refuses sets for a while
 * (readonly); another is SIGKILLed mid-run and started again on its port and directory. At the end
 * every acknowledged item was delivered at least once, the only duplicates are those the kill
 * explains (see {@link FleetLedger}), and no server holds anything.
 */
class FleetIT {
    private static final String QUEUE = "fleet";
    private static final int SERVERS = 3;
    private static final int KILLED = 1;
    private static final int READONLY = 2;
    private static final long DRAIN_TIMEOUT_MS = 30_000;
    /** Sets (or refusals) that show a phase of the run under way. */
    private static final int PHASE_ITEMS = 100;
    private static final long PHASE_TIMEOUT_MS = 15_000;

    @TempDir
    Path root;
    private Fleet fleet;

    @RegisterExtension
    final TestWatcher serverLogsOnFailure = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            if (fleet != null) {
                System.out.println("what the servers logged last:\n" + fleet.logs());
            }
        }
    };

    @AfterEach
    void stopFleet() throws InterruptedException {
        if (fleet != null) {
            fleet.close();
        }
    }

    @Test
    @Timeout(90)
    void aFleetWithAServerKilledAndRestartedMidRunLosesNothing() throws Exception {
        long start = System.currentTimeMillis();
        fleet = Fleet.start(root, SERVERS);
        FleetLedger ledger = new FleetLedger();
        FleetWorkload load = FleetWorkload.start(fleet, QUEUE, ledger);

        for (int server = 0; server < SERVERS; server++) {
            awaitMoreSetsOn(server, ledger); // the load runs on the whole fleet
        }
        fleet.setStatus(READONLY, "readonly"); // producers skip it, consumers still take from it
        awaitRun("the readonly server refuses sets", () -> ledger.refusals() >= PHASE_ITEMS);
        fleet.setStatus(READONLY, "up");
        awaitMoreSetsOn(READONLY, ledger);
        ItemId held = takeWithoutConfirming(KILLED, ledger); // a consumer busy with an item when its server dies
        fleet.kill(KILLED);
        ledger.openAtKill(held);
        long atKill = ledger.acknowledged();
        awaitRun("the others take the sets while a server is down", () -> ledger.acknowledged() >= atKill + PHASE_ITEMS);
        fleet.restart(KILLED);
        awaitMoreSetsOn(KILLED, ledger);
        awaitRun("the item open at the kill is delivered again", () -> ledger.deliveries(held) >= 2);
        load.stopProducers();
        awaitDrained(ledger);
        load.stopConsumers();

        System.out.printf("fleet of %d, server %d killed and restarted: %s; %d ms in all%n", SERVERS, KILLED,
                ledger.summary(), System.currentTimeMillis() - start);
        ledger.verify();
        for (int server = 0; server < SERVERS; server++) {
            Map<String, Long> figures = fleet.queueStats(server, QUEUE);
            assertEquals(0L, figures.get("items"), "items left on server " + server);
            assertEquals(0L, figures.get("open_transactions"), "open reads left on server " + server);
            assertTrue(ledger.acknowledgedOn(server) > 0, "server " + server + " took sets: the items were spread");
        }
        assertEquals(2, ledger.deliveries(held), "the item open at the kill was delivered again after the restart");
        assertTrue(ledger.refusals() > 0, "the readonly server refused sets, and the producers went on");
    }

    /** Opens an item on a server, on a connection left open until the server is killed. */
    private ItemId takeWithoutConfirming(int server, FleetLedger ledger) throws IOException {
        MemcacheClient consumer = fleet.connect(server);
        byte[] value = consumer.getBytes(QUEUE + "/t=1000/open");
        assertNotNull(value, "server " + server + " has items waiting");
        ItemId id = ItemId.of(value);
        ledger.delivered(id);
        return id;
    }

    /** Waits until the server has acknowledged {@link #PHASE_ITEMS} more sets. */
    private static void awaitMoreSetsOn(int server, FleetLedger ledger) {
        long before = ledger.acknowledgedOn(server);
        awaitRun("server " + server + " takes sets", () -> ledger.acknowledgedOn(server) >= before + PHASE_ITEMS);
    }

    /** Waits until the workload has brought about {@code what}. */
    private static void awaitRun(String what, Callable<Boolean> condition) {
        Awaitility.await(what).atMost(Duration.ofMillis(PHASE_TIMEOUT_MS)).pollInterval(Duration.ofMillis(20))
                .until(condition);
    }

    /** Waits until every acknowledged item was delivered and no server has items waiting. */
    private void awaitDrained(FleetLedger ledger) throws IOException {
        try {
            Awaitility.await().atMost(Duration.ofMillis(DRAIN_TIMEOUT_MS)).pollInterval(Duration.ofMillis(200))
                    .until(() -> ledger.allDelivered() && waitingItems().stream().allMatch(n -> n == 0));
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("not drained within " + DRAIN_TIMEOUT_MS + " ms: " + ledger.summary()
                    + ", items waiting per server " + waitingItems(), e);
        }
    }

    private List<Long> waitingItems() throws IOException {
        List<Long> items = new ArrayList<>();
        for (int server = 0; server < SERVERS; server++) {
            items.add(fleet.queueStats(server, QUEUE).getOrDefault("items", 0L));
        }
        return items;
    }
}
