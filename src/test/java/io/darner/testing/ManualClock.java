package io.darner.testing;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicLong;

/** A clock that moves only when a test moves it: expiry, ages and leases without sleeping. */
public final class ManualClock implements InstantSource {
    private final AtomicLong millis;

    public ManualClock() {
        this(System.currentTimeMillis());
    }

    public ManualClock(long startMillis) {
        this.millis = new AtomicLong(startMillis);
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis.get());
    }

    @Override
    public long millis() {
        return millis.get();
    }

    public void advance(Duration by) {
        millis.addAndGet(by.toMillis());
    }

    public void advanceMillis(long by) {
        millis.addAndGet(by);
    }
}
