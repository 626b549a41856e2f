package io.darner.storage;

/**
 * A queue as found in the store when it was opened.
 *
 * @param firstSeq the lowest stored seq (where reading starts)
 * @param nextSeq one past the highest seq ever stored, so the next item's seq
 * @param items items stored, open ones of the last run included (they are items again)
 * @param bytes their data bytes
 */
public record StoredQueue(String name, long qid, long firstSeq, long nextSeq, long items, long bytes) {}
