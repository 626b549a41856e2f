package io.darner.server;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** Connection and byte counters of the listener. */
public final class ConnectionStats {
    final AtomicInteger current = new AtomicInteger();
    final LongAdder total = new LongAdder();
    final LongAdder bytesRead = new LongAdder();
    final LongAdder bytesWritten = new LongAdder();

    public int current() {
        return current.get();
    }

    public long total() {
        return total.sum();
    }

    public long bytesRead() {
        return bytesRead.sum();
    }

    public long bytesWritten() {
        return bytesWritten.sum();
    }
}
