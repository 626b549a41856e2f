package io.darner.queue;

import io.darner.storage.Stop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** An open read aborted with a delay (issue 14): held, then back at the head; by the manual clock. */
class DelayedAbortTest {
    @TempDir
    Path dir;
    private RepositoryFixture fixture;

    @AfterEach
    void close() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private QueueStats stats(String queue) {
        return fixture.repo().stats(queue);
    }

    private void abortAfter(String queue, long delayMs) {
        Delivery d = fixture.take(queue, true);
        d.queue().releaseAfter(d, delayMs);
    }

    @Test
    void theReadComesBackToTheHeadOnlyAfterTheDelay() {
        fixture = new RepositoryFixture(dir);
        fixture.put("q", "a", "b");
        abortAfter("q", 1000);

        assertEquals(1, stats("q").delayed());
        assertEquals(0, stats("q").openTransactions());
        assertEquals(1, stats("q").canceledTransactions());
        assertEquals("b", RepositoryFixture.text(fixture.take("q", false)));
        assertNull(fixture.take("q", false));

        fixture.advance(1000);

        Delivery back = fixture.take("q", false);
        assertEquals("a", RepositoryFixture.text(back));
        assertEquals(1, back.record().deliveries(), "counted as a delivery, as any abort");
        assertEquals(0, stats("q").delayed());
    }

    @Test
    void aHeldReadGoesBackBeforeLaterItems() {
        fixture = new RepositoryFixture(dir);
        fixture.put("q", "a");
        abortAfter("q", 1000);
        fixture.put("q", "b");
        fixture.advance(1000);

        assertEquals(List.of("a", "b"), fixture.drain("q"));
    }

    @Test
    void deadLetteringCountsTheAbortAsAnyOther() {
        fixture = new RepositoryFixture(dir, Map.of("darner.queues.q.max-deliveries", "1",
                "darner.queues.q.dead-letter-queue", "q_dead"));
        fixture.put("q", "poison");
        abortAfter("q", 1000);
        fixture.advance(1000);

        assertNull(fixture.take("q", false));
        assertEquals(1, stats("q").deadLettered());
        assertEquals(List.of("poison"), fixture.drain("q_dead"));
    }

    @ParameterizedTest
    @EnumSource(Stop.class)
    void afterARestartAHeldReadIsAnItemAtOnceAsAnyOpenRead(Stop how) {
        fixture = new RepositoryFixture(dir);
        fixture.put("q", "a");
        abortAfter("q", 60_000);

        fixture.restart(how);

        assertEquals(0, stats("q").delayed());
        assertEquals(List.of("a"), fixture.drain("q"));
    }

    @Test
    void aFlushDropsTheHeldReads() {
        fixture = new RepositoryFixture(dir);
        fixture.put("q", "a");
        abortAfter("q", 1000);

        fixture.repo().flush("q");
        fixture.advance(1000);

        assertEquals(0, stats("q").delayed());
        assertEquals(0, stats("q").openTransactions());
        assertEquals(List.of(), fixture.drain("q"));
    }
}
