package io.darner.storage;

/**
 * One small item's put waiting in {@link PendingPuts}: settled once its batch is written (or its
 * item was taken and confirmed before, so it never needed to be), or failed with its batch. The
 * request that made it is answered only once it is settled, and with the failure if there is one.
 */
public final class PendingPut {
    final long qid;
    final long seq;
    final ItemRecord record;
    final PendingPuts.LostPuts owner;
    private volatile boolean settled;
    private volatile StoreException failure;

    PendingPut(long qid, long seq, ItemRecord record, PendingPuts.LostPuts owner) {
        this.qid = qid;
        this.seq = seq;
        this.record = record;
        this.owner = owner;
    }

    void settle(StoreException failed) {
        failure = failed;
        settled = true;
    }

    public boolean settled() {
        return settled;
    }

    /** Why the item was not stored, or null when it was (or needed not be). Read once settled. */
    public StoreException failure() {
        return failure;
    }
}
