package io.darner.server;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Connection and byte counters of the listener. Bytes are counted on every read and write, so
 * each thread that serves connections (an event loop) counts them in a {@link Bytes} of its own,
 * with plain stores where an atomic add would cost more than the counting is worth; the figures
 * are the sums over those threads, which only grow.
 */
public final class ConnectionStats {
    final AtomicInteger current = new AtomicInteger();
    final LongAdder total = new LongAdder();
    private final Map<Thread, Bytes> byThread = new ConcurrentHashMap<>();

    /** The counters of the calling thread: a connection takes them on its event loop and counts only there. */
    Bytes bytesOfThisThread() {
        return byThread.computeIfAbsent(Thread.currentThread(), t -> new Bytes());
    }

    public int current() {
        return current.get();
    }

    public long total() {
        return total.sum();
    }

    public long bytesRead() {
        return byThread.values().stream().mapToLong(Bytes::read).sum();
    }

    public long bytesWritten() {
        return byThread.values().stream().mapToLong(Bytes::written).sum();
    }

    /** Bytes read and written by the connections of one thread: written by that thread only, read by any. */
    static final class Bytes {
        private static final VarHandle READ;
        private static final VarHandle WRITTEN;

        static {
            try {
                MethodHandles.Lookup lookup = MethodHandles.lookup();
                READ = lookup.findVarHandle(Bytes.class, "read", long.class);
                WRITTEN = lookup.findVarHandle(Bytes.class, "written", long.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        @SuppressWarnings("unused") // through READ
        private long read;
        @SuppressWarnings("unused") // through WRITTEN
        private long written;

        /** On the owning thread only: one writer, so a plain read-add-store loses nothing. */
        void addRead(long n) {
            READ.setOpaque(this, (long) READ.getOpaque(this) + n);
        }

        void addWritten(long n) {
            WRITTEN.setOpaque(this, (long) WRITTEN.getOpaque(this) + n);
        }

        long read() {
            return (long) READ.getOpaque(this);
        }

        long written() {
            return (long) WRITTEN.getOpaque(this);
        }
    }
}
