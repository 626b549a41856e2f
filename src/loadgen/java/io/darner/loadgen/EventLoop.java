package io.darner.loadgen;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * A selector thread driving its share of the connections. Other threads only hand it tasks; the
 * connections and the statistics are touched by this thread alone until {@link #stop()} returns.
 */
final class EventLoop implements Runnable {
    private static final long TICK_MILLIS = 100;

    private final Selector selector;
    private final Thread thread;
    private final List<Connection> connections = new ArrayList<>();
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    /** Shared by the connections: each hands what it reads to its reply reader at once. */
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(64 * 1024);
    private final PhaseStats[] stats;
    private volatile boolean stopping;

    EventLoop(int id, int phases) throws IOException {
        this.selector = Selector.open();
        this.thread = new Thread(this, "loadgen-" + id);
        this.stats = new PhaseStats[phases];
        for (int i = 0; i < phases; i++) {
            stats[i] = new PhaseStats();
        }
    }

    /** Adds a connection; only before {@link #start()}. */
    void add(Connection connection) {
        connections.add(connection);
    }

    void start() {
        thread.start();
    }

    /** Starts every connection of this loop on a phase. */
    void begin(Phase phase) {
        tasks.add(() -> connections.forEach(c -> c.start(phase)));
        selector.wakeup();
    }

    /** Closes the connections and ends the thread. Afterwards {@link #stats(int)} may be read. */
    void stop() throws InterruptedException {
        stopping = true;
        selector.wakeup();
        thread.join();
    }

    Selector selector() {
        return selector;
    }

    boolean isAlive() {
        return thread.isAlive();
    }

    PhaseStats stats(int phaseIndex) {
        return stats[phaseIndex];
    }

    @Override
    public void run() {
        long nextTimeoutCheck = System.nanoTime();
        try {
            while (!stopping) {
                selector.select(key -> {
                    Connection c = (Connection) key.attachment();
                    try {
                        c.onReady(key, readBuffer);
                    } catch (RuntimeException e) {
                        // A bug here must not stop the loop: the run would wait for this connection forever.
                        c.fail("internal error: " + e);
                    }
                }, TICK_MILLIS);
                for (Runnable task; (task = tasks.poll()) != null; ) {
                    task.run();
                }
                long now = System.nanoTime();
                if (now - nextTimeoutCheck >= 0) {
                    connections.forEach(c -> c.checkTimeout(now));
                    nextTimeoutCheck = now + TimeUnit.MILLISECONDS.toNanos(TICK_MILLIS);
                }
            }
        } catch (IOException e) {
            // The run notices the dead thread (isAlive) instead of waiting for it forever.
            throw new IllegalStateException("selector failed", e);
        } finally {
            connections.forEach(Connection::close);
            try {
                selector.close();
            } catch (IOException e) {
                // the thread ends anyway
            }
        }
    }
}
