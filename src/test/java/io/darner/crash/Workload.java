package io.darner.crash;

import io.darner.testing.ItemId;
import io.darner.testing.MemcacheClient;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Producers and reliable consumers on one queue, each on its own connection and thread, recording
 * into a {@link Ledger} until the server dies under them. A connection failure is the expected end
 * once {@link #expectServerDeath()} was called, and an unexpected reply before that.
 */
final class Workload {
    private static final int PRODUCERS = 3;
    private static final int CONSUMERS = 2;
    /** The producer number of the items of the flushed queue. */
    static final int FLUSHER = 9;
    /** The producer number of the delayed sets, all with the same delay: they fall due in the order set. */
    static final int DELAYED_PRODUCER = 8;
    private static final long SET_DELAY_MS = 150;
    /** How long an abort with a delay holds its read (every other abort is one). */
    private static final long ABORT_DELAY_MS = 100;
    /** Items the flusher sets between two flushes (so kills land between sets and flushes alike). */
    private static final int SETS_PER_FLUSH = 7;
    /** One consumer close in this many is an abort instead (every other one with a delay): the item goes back to the head. */
    private static final int ABORT_EVERY = 5;
    private static final long END_TIMEOUT_MS = 30_000;
    /** How long a consumer holds an open read before closing it, so that kills often find reads open. */
    private static final long HOLD_MS = 2;

    private final int port;
    private final String queue;
    private final int cycle;
    private final Ledger ledger;
    private final String flushQueue;
    private final FlushLedger flushLedger;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean serverDying;
    /** Producer 0 sets every this many items with {@code /sync}; 0: none (the queue's own setting decides). */
    private int syncEvery;

    private Workload(int port, String queue, int cycle, Ledger ledger, String flushQueue, FlushLedger flushLedger) {
        this.port = port;
        this.queue = queue;
        this.cycle = cycle;
        this.ledger = ledger;
        this.flushQueue = flushQueue;
        this.flushLedger = flushLedger;
    }

    /**
     * Producers and reliable consumers (which sometimes abort) on {@code queue}; and one connection
     * that sets into {@code flushQueue} and flushes it every few items.
     */
    static Workload start(int port, String queue, int cycle, Ledger ledger, String flushQueue, FlushLedger flushLedger) {
        Workload w = new Workload(port, queue, cycle, ledger, flushQueue, flushLedger);
        w.spawn("flusher", w::produceAndFlush);
        for (int p = 0; p < PRODUCERS; p++) {
            int producer = p;
            w.spawn("producer-" + p, client -> w.produce(client, producer));
        }
        w.spawn("delayed-producer", client -> w.produce(client, DELAYED_PRODUCER));
        for (int c = 0; c < CONSUMERS; c++) {
            w.spawn("consumer-" + c, w::consume);
        }
        return w;
    }

    /**
     * Producers and reliable consumers on {@code queue}, no flusher; producer 0 sets every
     * {@code syncEvery}th item with {@code /sync} (the power-loss test: a queue that syncs never).
     */
    static Workload startWithSyncs(int port, String queue, int cycle, Ledger ledger, int syncEvery) {
        Workload w = new Workload(port, queue, cycle, ledger, null, null);
        w.syncEvery = syncEvery;
        for (int p = 0; p < PRODUCERS; p++) {
            int producer = p;
            w.spawn("producer-" + p, client -> w.produce(client, producer));
        }
        for (int c = 0; c < CONSUMERS; c++) {
            w.spawn("consumer-" + c, w::consume);
        }
        return w;
    }

    /** Call before killing the server: connection failures from now on are the kill's doing. */
    void expectServerDeath() {
        serverDying = true;
    }

    /** Waits for every client to notice that the server is gone. */
    void awaitEnd() throws InterruptedException {
        long deadline = System.currentTimeMillis() + END_TIMEOUT_MS;
        for (Thread t : threads) {
            t.join(Math.max(1, deadline - System.currentTimeMillis()));
            if (t.isAlive()) {
                throw new AssertionError(t.getName() + " still running " + END_TIMEOUT_MS + " ms after the kill");
            }
        }
    }

    private void produce(MemcacheClient client, int producer) throws IOException {
        for (int n = 0; ; n++) {
            ItemId id = new ItemId(cycle, producer, n);
            boolean delayed = producer == DELAYED_PRODUCER;
            boolean sync = syncEvery > 0 && producer == 0 && n % syncEvery == 0;
            long sent = System.nanoTime();
            String key = (delayed ? queue + "/delay=" + SET_DELAY_MS : queue) + (sync ? "/sync" : "");
            String reply = client.set(key, id.payload());
            if (reply.equals("STORED")) {
                ledger.stored(id, sync, sent);
                if (delayed) {
                    ledger.storedDelayed();
                }
            } else {
                ledger.unexpected("set " + id + ": " + reply);
            }
        }
    }

    /** Sets into the flushed queue, and flushes it every {@value #SETS_PER_FLUSH} items. */
    private void produceAndFlush(MemcacheClient client) throws IOException {
        for (int n = 0; ; n++) {
            if (n % SETS_PER_FLUSH == SETS_PER_FLUSH - 1) {
                flushLedger.flushSent();
                String reply = client.call("flush " + flushQueue);
                if (reply.equals("END")) {
                    flushLedger.flushed();
                } else {
                    flushLedger.unexpected("flush: " + reply);
                    return;
                }
                continue;
            }
            ItemId id = new ItemId(cycle, FLUSHER, n);
            flushLedger.setSent(id);
            String reply = client.set(flushQueue, id.payload());
            if (reply.equals("STORED")) {
                flushLedger.stored(id);
            } else {
                flushLedger.unexpected("set " + id + ": " + reply);
                return;
            }
        }
    }

    /**
     * {@code get q/open}, then a confirm: {@code get q/close}, or every other time the reliable
     * consumer's {@code get q/close/open/t=100}, which confirms it and opens the next item in one
     * round trip. Confirmed only once the close is answered. One in {@value #ABORT_EVERY} is aborted
     * instead ({@code get q/abort}): it stays an item.
     */
    private void consume(MemcacheClient client) throws IOException {
        byte[] value = null;
        for (int n = 0; ; n++) {
            if (value == null) {
                value = client.getBytes(queue + "/open/t=100");
                if (value == null) {
                    continue;
                }
            }
            ItemId id = ItemId.of(value);
            ledger.opened(id);
            hold();
            if (serverDying) {
                return; // the kill comes before the close: this item was open at the kill
            }
            if (n % ABORT_EVERY == ABORT_EVERY - 1) {
                boolean delayed = n % (2 * ABORT_EVERY) == ABORT_EVERY - 1;
                String reply = client.call("get " + queue + "/abort" + (delayed ? "/delay=" + ABORT_DELAY_MS : ""));
                if (!reply.equals("END")) {
                    ledger.unexpected("abort of " + id + ": " + reply);
                }
                ledger.aborted(delayed);
                value = null;
                continue;
            }
            ledger.closeSent(id);
            if (n % 2 == 0) {
                value = client.getBytes(queue + "/close/open/t=100"); // an error reply throws: not confirmed
                ledger.closeAnswered(id);
                continue;
            }
            value = null;
            String reply = client.call("get " + queue + "/close");
            if (reply.equals("END")) {
                ledger.closeAnswered(id);
            } else {
                ledger.unexpected("close of " + id + ": " + reply);
            }
        }
    }

    private static void hold() {
        try {
            Thread.sleep(HOLD_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private interface ClientLoop {
        void run(MemcacheClient client) throws IOException;
    }

    private void spawn(String name, ClientLoop loop) {
        Thread t = new Thread(() -> {
            try (MemcacheClient client = new MemcacheClient(port)) {
                loop.run(client);
            } catch (IOException e) {
                if (!serverDying) {
                    ledger.unexpected(name + " failed while the server was up: " + e);
                }
            } catch (AssertionError e) { // a damaged value
                ledger.unexpected(name + ": " + e.getMessage());
            }
        }, "crash-" + name);
        t.setDaemon(true);
        threads.add(t);
        t.start();
    }
}
