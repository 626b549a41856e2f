package io.darner.storage;

/** A delayed item as stored: when it is due (epoch ms), its place among the items of that due time, its record. */
public record DelayedItem(long dueAt, long seq, ItemRecord record) {}
