package io.darner.storage;

/** An item found by a seek: its seq and its record. */
public record StoredItem(long seq, ItemRecord record) {}
