package io.darner.loadgen;

/** Judges a well-formed item a get returned, against what was set. One instance per connection. */
interface DeliveryCheck {
    /** A cache overwrites one key, so any well-formed item of the right size is a correct answer. */
    DeliveryCheck CACHE = (slot, item) -> null;

    /** Null if the item, returned by the connection's queue in {@code slot}, is a correct answer, else what is wrong with it. */
    String verify(int slot, ItemId item);
}
