package io.darner.queue;

/** Memcache {@code exptime} to an expiry instant (spec section 3). */
public final class Expiry {
    /** exptime values below this are relative seconds; from it on, absolute Unix seconds. */
    static final long RELATIVE_LIMIT = 1_000_000;
    /** Seconds beyond any real time (some 146 million years); clamping to it keeps the arithmetic from wrapping. */
    private static final long MAX_SECONDS = Long.MAX_VALUE / 1000 / 2;

    private Expiry() {}

    /** Epoch milliseconds after which the item expires, 0 for never; a negative exptime is already past. */
    public static long fromExptime(long exptime, long nowMs) {
        if (exptime == 0) {
            return 0;
        }
        long seconds = Math.max(-MAX_SECONDS, Math.min(exptime, MAX_SECONDS));
        long at = exptime < RELATIVE_LIMIT ? nowMs + seconds * 1000 : seconds * 1000;
        return Math.max(at, 1); // 0 would mean never
    }
}
