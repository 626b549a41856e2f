package io.darner.storage;

import org.iq80.leveldb.DB;
import org.iq80.leveldb.DBException;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * Opens stores whose LevelDB writes fail on demand, as they do on a full or failing disk; reads
 * always work. One injector serves every store a test opens, across restarts.
 */
public final class FaultInjector {
    public static final long CACHE_BYTES = 8 << 20;
    /** The DB methods that change the store (each one or its overloads). */
    private static final Set<String> WRITES = Set.of("put", "delete", "write");

    private volatile Predicate<Thread> failing = thread -> false;
    private volatile String failure = "injected write failure";
    private volatile boolean failingFsync;
    private final AtomicInteger injected = new AtomicInteger();
    private volatile DB lastOpened;

    public QueueStore open(Path dir) {
        return open(dir, false);
    }

    /** Opens the store, after LevelDB's repair and the salvage of damaged queues when {@code repair}. */
    public QueueStore open(Path dir, boolean repair) {
        QueueStore store = QueueStore.open(dir, CACHE_BYTES, repair, TestEngine.chosen(), this::wrap);
        store.beforeFsync(() -> {
            if (failingFsync) {
                injected.incrementAndGet();
                throw new java.io.IOException("Input/output error (injected fsync failure)");
            }
        });
        return store;
    }

    /** From now on every write fails. */
    public void failWrites() {
        failWrites("injected write failure");
    }

    /** From now on every write fails with that message (LevelDB's words, e.g. for a full disk). */
    public void failWrites(String message) {
        failure = message;
        failing = thread -> true;
    }

    /** From now on every fsync fails (writes themselves work). */
    public void failFsync() {
        failingFsync = true;
    }

    /** From now on the writes made on the thread of that name fail (e.g. the store's maintenance thread). */
    public void failWritesOn(String threadName) {
        failing = thread -> thread.getName().equals(threadName);
    }

    /** Writes and fsyncs work again. */
    public void heal() {
        failing = thread -> false;
        failingFsync = false;
    }

    /** How many writes were made to fail so far. */
    public int injectedFailures() {
        return injected.get();
    }

    /**
     * Runs {@code close} with every write failing, which leaves the store as a killed process
     * leaves it: everything written before is there, the clean-stop marker and counts are not.
     */
    public void closeAsIfKilled(Runnable close) {
        failWrites();
        try {
            close.run();
        } finally {
            heal();
        }
    }

    /** The (wrapped) LevelDB handle of the store opened last, for tests that look at keys while it runs. */
    DB lastOpened() {
        return lastOpened;
    }

    private DB wrap(DB db) {
        lastOpened = (DB) Proxy.newProxyInstance(DB.class.getClassLoader(), new Class<?>[] {DB.class}, (proxy, method, args) -> {
            if (WRITES.contains(method.getName()) && failing.test(Thread.currentThread())) {
                injected.incrementAndGet();
                throw new DBException(failure);
            }
            try {
                return method.invoke(db, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        });
        return lastOpened;
    }
}
