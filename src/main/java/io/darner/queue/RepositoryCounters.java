package io.darner.queue;

import java.util.concurrent.atomic.LongAdder;

/** Server-wide request counters of the stats (spec section 6), whoever made the request. */
public final class RepositoryCounters {
    public final LongAdder cmdGet = new LongAdder();
    public final LongAdder cmdSet = new LongAdder();
    /** Items stored since the server started; unlike the per-queue figures, deleting a queue keeps them. */
    public final LongAdder totalItems = new LongAdder();
    public final LongAdder cmdPeek = new LongAdder();
    public final LongAdder getHits = new LongAdder();
    public final LongAdder getMisses = new LongAdder();
    public final LongAdder queueCreates = new LongAdder();
    public final LongAdder queueDeletes = new LongAdder();
    /** Queues deleted for being idle (delete-when-idle); Kestrel's name. */
    public final LongAdder queueExpires = new LongAdder();
}
