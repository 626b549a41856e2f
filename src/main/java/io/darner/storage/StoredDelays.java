package io.darner.storage;

/**
 * A queue's delayed items as found in the store at open.
 *
 * @param items how many are waiting
 * @param bytes their data bytes
 * @param firstDue when the first falls due (epoch ms), or {@link Long#MAX_VALUE} when none waits
 * @param nextSeq the seq the next delayed item gets (one past the highest stored)
 */
public record StoredDelays(long items, long bytes, long firstDue, long nextSeq) {
    public static final StoredDelays NONE = new StoredDelays(0, 0, Long.MAX_VALUE, 0);
}
