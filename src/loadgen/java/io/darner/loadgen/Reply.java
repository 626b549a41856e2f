package io.darner.loadgen;

/** One reply, read and verified: the item of a hit, or what was wrong with an error. */
record Reply(Type type, ItemId item, String error) {
    enum Type { STORED, HIT, MISS, CLOSED, ERROR }

    static final Reply STORED = new Reply(Type.STORED, null, null);
    static final Reply MISS = new Reply(Type.MISS, null, null);
    /** {@code END} to a {@code get <q>/close}. */
    static final Reply CLOSED = new Reply(Type.CLOSED, null, null);

    static Reply hit(ItemId item) {
        return new Reply(Type.HIT, item, null);
    }

    static Reply error(String error) {
        return new Reply(Type.ERROR, null, error);
    }
}
