package io.darner.queue;

/** Memcache {@code exptime} to an expiry instant (spec section 3). */
public final class Expiry {
    /** exptime values below this are relative seconds; from it on, absolute Unix seconds. */
    static final long RELATIVE_LIMIT = 1_000_000;

    private Expiry() {}

    /** Epoch milliseconds after which the item expires, 0 for never; a negative exptime is already past. */
    public static long fromExptime(long exptime, long nowMs) {
        if (exptime == 0) {
            return 0;
        }
        long at = exptime < RELATIVE_LIMIT ? nowMs + exptime * 1000 : exptime * 1000;
        return Math.max(at, 1); // 0 would mean never
    }
}
