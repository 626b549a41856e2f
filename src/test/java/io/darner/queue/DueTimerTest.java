package io.darner.queue;

import io.darner.testing.ManualClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The due timer keeps one timer, set for the earliest wake any queue asked for, by the queues' clock. */
class DueTimerTest {
    @TempDir
    Path dir;
    private final ManualClock clock = new ManualClock();
    private final RecordingExecutor executor = new RecordingExecutor();
    private RepositoryFixture fixture;

    @AfterEach
    void close() {
        executor.shutdownNow();
        if (fixture != null) {
            fixture.close();
        }
    }

    /** Records what is scheduled, and runs it only when the test says. */
    private static final class RecordingExecutor extends ScheduledThreadPoolExecutor {
        final List<Long> delays = new ArrayList<>();
        final List<Runnable> tasks = new ArrayList<>();

        RecordingExecutor() {
            super(1);
        }

        @Override
        public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
            delays.add(unit.toMillis(delay));
            tasks.add(command);
            return super.schedule(() -> { }, 1, TimeUnit.DAYS);
        }

        void runLast() {
            tasks.get(tasks.size() - 1).run();
        }
    }

    @Test
    void oneTimerForTheEarliestWakeThenTheNext() {
        fixture = new RepositoryFixture(dir);
        Queue a = fixture.repo().getOrCreate("a");
        Queue b = fixture.repo().getOrCreate("b");
        DueTimer timer = new DueTimer(executor, clock);
        long now = clock.millis();

        timer.wakeAt(a, now + 500);
        timer.wakeAt(b, now + 200); // sooner: the timer is set again
        timer.wakeAt(a, now + 900); // later: the timer stays
        assertEquals(List.of(500L, 200L), executor.delays);

        clock.advanceMillis(200);
        executor.runLast(); // b's wake: b is asked, and the timer set for a's first
        assertEquals(List.of(500L, 200L, 300L), executor.delays);

        clock.advanceMillis(700);
        executor.runLast(); // both of a's wakes are due: one timer fewer, none left
        assertEquals(3, executor.delays.size(), "nothing more to wake");
    }

    @Test
    void aWakeThatFiresEarlyByTheClockIsSetAgain() {
        fixture = new RepositoryFixture(dir);
        DueTimer timer = new DueTimer(executor, clock);
        timer.wakeAt(fixture.repo().getOrCreate("a"), clock.millis() + 1000);

        clock.advanceMillis(400); // the executor ran it early, by the clock the queues go by
        executor.runLast();

        assertEquals(List.of(1000L, 600L), executor.delays);
    }
}
