package io.darner.queue;

/** The store's last failed write: why, and when (epoch milliseconds). */
public record StoreWriteFailure(String reason, long atMs) {}
