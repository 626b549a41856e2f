package io.darner.storage;

/**
 * A queue as found in the store when it was opened.
 *
 * @param firstSeq the lowest stored seq (where reading starts)
 * @param nextSeq one past the highest seq ever stored, so the next item's seq
 * @param items items stored, open ones of the last run included (they are items again)
 * @param bytes their data bytes
 * @param damage why the queue's items could not be read at open (a damaged block of the store), or
 *        null: a damaged queue knows neither its items nor its next seq, so it serves nothing until
 *        the store is repaired, or it is flushed or deleted
 */
public record StoredQueue(String name, long qid, long firstSeq, long nextSeq, long items, long bytes, String damage) {

    public StoredQueue(String name, long qid, long firstSeq, long nextSeq, long items, long bytes) {
        this(name, qid, firstSeq, nextSeq, items, bytes, null);
    }

    static StoredQueue damaged(String name, long qid, String damage) {
        return new StoredQueue(name, qid, 0, 0, 0, 0, damage);
    }
}
