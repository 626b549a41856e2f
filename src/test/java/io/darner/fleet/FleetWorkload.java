package io.darner.fleet;

import io.darner.testing.ItemId;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Producers and reliable consumers of one queue spread over a fleet, each on its own thread with
 * its own connection to every server, recording into a {@link FleetLedger}.
 * <ul>
 * <li>A producer sets each item on the next server in turn, skipping a server that refuses it or
 * is down, and stores it elsewhere when a set got no reply (at least once).</li>
 * <li>A consumer visits the servers in turn. On each it loops on {@code get q/t=200/close/open},
 * which confirms the item it holds and opens the next, and before moving on it confirms the last
 * one with {@code get q/close}: it never leaves an item open behind it.</li>
 * </ul>
 */
final class FleetWorkload {
    private static final int PRODUCERS = 3;
    private static final int CONSUMERS = 3;
    /** Items a consumer takes from one server before it visits the next. */
    private static final int ITEMS_PER_VISIT = 20;
    /** How long a consumer works on an item before it confirms it. */
    private static final long CONSUMER_WORK_MS = 1;
    /** Pause of a producer between two items, and when no server took an item. */
    private static final long PRODUCER_PAUSE_MS = 1;
    private static final long NO_SERVER_PAUSE_MS = 20;
    private static final long JOIN_TIMEOUT_MS = 20_000;

    private final Fleet fleet;
    private final String queue;
    private final FleetLedger ledger;
    private final List<Thread> producers = new ArrayList<>();
    private final List<Thread> consumers = new ArrayList<>();
    private volatile boolean producing = true;
    private volatile boolean consuming = true;

    private FleetWorkload(Fleet fleet, String queue, FleetLedger ledger) {
        this.fleet = fleet;
        this.queue = queue;
        this.ledger = ledger;
    }

    static FleetWorkload start(Fleet fleet, String queue, FleetLedger ledger) {
        FleetWorkload w = new FleetWorkload(fleet, queue, ledger);
        for (int p = 0; p < PRODUCERS; p++) {
            int producer = p;
            w.producers.add(w.spawn("producer-" + p, links -> w.produce(links, producer)));
        }
        for (int c = 0; c < CONSUMERS; c++) {
            int firstServer = c;
            w.consumers.add(w.spawn("consumer-" + c, links -> w.consume(links, firstServer)));
        }
        return w;
    }

    /** Stops the producers and waits for them; the consumers go on. */
    void stopProducers() throws InterruptedException {
        producing = false;
        join(producers);
    }

    /** Stops the consumers once their visits end (each confirms what it holds) and waits for them. */
    void stopConsumers() throws InterruptedException {
        consuming = false;
        join(consumers);
    }

    private void produce(Links links, int producer) {
        int next = producer;
        for (int n = 0; producing; n++) {
            ItemId id = new ItemId(0, producer, n);
            while (!store(links, id, next++)) {
                pause(NO_SERVER_PAUSE_MS);
            }
            pause(PRODUCER_PAUSE_MS);
        }
    }

    /** Offers the item to each server in turn from {@code first}; true once one stored it. */
    private boolean store(Links links, ItemId id, int first) {
        for (int i = 0; i < fleet.size(); i++) {
            Links.Link link = links.get((first + i) % fleet.size());
            if (link == null) {
                continue; // down
            }
            try {
                String reply = link.client.set(queue, id.payload());
                if (reply.equals("STORED")) {
                    ledger.acknowledged(id, link.server);
                    return true;
                }
                if (fleet.mayRefuse(link.server)) {
                    ledger.refused();
                } else {
                    ledger.unexpected("set " + id + " on server " + link.server + ": " + reply);
                }
            } catch (IOException e) {
                if (links.failed(link, e)) {
                    ledger.setInDoubt(id);
                }
            }
        }
        return false;
    }

    private void consume(Links links, int firstServer) {
        for (int server = firstServer; consuming; server = (server + 1) % fleet.size()) {
            Links.Link link = links.get(server);
            if (link == null) {
                continue; // down
            }
            try {
                visit(link);
            } catch (IOException e) {
                if (links.failed(link, e) && link.open != null) {
                    ledger.openAtKill(link.open);
                }
            } catch (AssertionError e) { // a damaged value
                ledger.unexpected(e.getMessage());
            }
        }
    }

    /** Takes up to {@link #ITEMS_PER_VISIT} items from one server, and confirms the last before leaving. */
    private void visit(Links.Link link) throws IOException {
        for (int taken = 0; taken < ITEMS_PER_VISIT; taken++) {
            byte[] value = link.client.getBytes(queue + "/t=200/close/open");
            link.open = null; // the close was answered: confirmed
            if (value == null) {
                return;
            }
            ItemId id = ItemId.of(value);
            ledger.delivered(id);
            link.open = id;
            pause(CONSUMER_WORK_MS);
        }
        String reply = link.client.call("get " + queue + "/close");
        if (!reply.equals("END")) {
            ledger.unexpected("close of " + link.open + " on server " + link.server + ": " + reply);
        }
        link.open = null;
    }

    private interface Loop {
        void run(Links links);
    }

    private Thread spawn(String name, Loop loop) {
        Thread t = new Thread(() -> {
            try (Links links = new Links(fleet, ledger, name)) {
                loop.run(links);
            } catch (RuntimeException e) {
                ledger.unexpected(name + " failed: " + e);
            }
        }, "fleet-" + name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void join(List<Thread> threads) throws InterruptedException {
        long deadline = System.currentTimeMillis() + JOIN_TIMEOUT_MS;
        for (Thread t : threads) {
            t.join(Math.max(1, deadline - System.currentTimeMillis()));
            if (t.isAlive()) {
                throw new AssertionError(t.getName() + " did not stop within " + JOIN_TIMEOUT_MS + " ms");
            }
        }
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
