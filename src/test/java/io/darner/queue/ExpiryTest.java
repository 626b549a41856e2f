package io.darner.queue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Memcache exptime to an expiry instant (spec 3): 0 never, below 1,000,000 relative, else absolute. */
class ExpiryTest {
    private static final long NOW = 1_760_000_000_123L;

    @Test
    void zeroIsNever() {
        assertEquals(0, Expiry.fromExptime(0, NOW));
    }

    @Test
    void belowOneMillionIsSecondsFromNow() {
        assertEquals(NOW + 1000, Expiry.fromExptime(1, NOW));
        assertEquals(NOW + 999_999_000L, Expiry.fromExptime(Expiry.RELATIVE_LIMIT - 1, NOW));
        assertEquals(NOW - 5000, Expiry.fromExptime(-5, NOW), "negative: already expired");
    }

    @Test
    void fromOneMillionOnIsAbsoluteUnixSeconds() {
        assertEquals(1_000_000_000L, Expiry.fromExptime(Expiry.RELATIVE_LIMIT, NOW));
        assertEquals(1_800_000_000_000L, Expiry.fromExptime(1_800_000_000L, NOW));
    }

    /** Up to 18 digits are accepted on the wire: seconds times 1000 must not wrap around. */
    @ParameterizedTest
    @ValueSource(longs = {9_300_000_000_000_000L, 100_000_000_000_000_000L, 999_999_999_999_999_999L})
    void aFarFutureStaysInTheFuture(long exptime) {
        assertTrue(Expiry.fromExptime(exptime, NOW) > NOW + 1_000_000_000_000L, "exptime " + exptime);
    }

    @ParameterizedTest
    @ValueSource(longs = {-9_300_000_000_000_000L, -100_000_000_000_000_000L, -999_999_999_999_999_999L})
    void aFarNegativeIsExpiredAlready(long exptime) {
        long at = Expiry.fromExptime(exptime, NOW);
        assertTrue(at > 0 && at <= NOW, "exptime " + exptime + " gave " + at);
    }
}
