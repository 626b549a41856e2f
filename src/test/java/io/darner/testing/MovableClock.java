package io.darner.testing;

import jakarta.inject.Singleton;

import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The clock of every app a {@code @QuarkusTest} starts, in place of the queue layer's system clock
 * (a bean of the test sources outranks its {@code @DefaultBean}): the system's time plus however far
 * tests have moved it forward. Unlike {@link ManualClock} it keeps running, because the test classes
 * share one app whose monitors, sweeps and expiry tests go by time passing; a test of ages moves it
 * instead of sleeping. It only ever moves forward, so no item looks younger than it is.
 */
@Singleton
public class MovableClock implements InstantSource {
    private final AtomicLong aheadMs = new AtomicLong();

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis());
    }

    @Override
    public long millis() {
        return System.currentTimeMillis() + aheadMs.get();
    }

    public void advanceMillis(long by) {
        aheadMs.addAndGet(by);
    }
}
