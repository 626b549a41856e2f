package io.darner.queue;

import io.darner.storage.ItemRecord;
import io.darner.storage.QueueStore;
import io.darner.storage.Stop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.darner.storage.TestItems.randomBytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * What the features of Kestrel parity keep across a restart, clean or killed: the server status,
 * each item's delivery count (for dead-lettering), its expiry, and fanout copies of large items.
 */
class QueueParityRestartTest {
    private static final Map<String, String> SETTINGS = Map.of(
            "darner.queues.poison.max-deliveries", "2",
            "darner.queues.poison.dead-letter-queue", "poison_dead",
            "darner.queues.pending.expire-to-queue", "ready");

    @TempDir
    Path dir;
    private RepositoryFixture fixture;

    @AfterEach
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private QueueRepository start() {
        fixture = new RepositoryFixture(dir, SETTINGS);
        return fixture.repo();
    }

    @ParameterizedTest
    @EnumSource(Stop.class)
    void theServerStatusSurvivesARestart(Stop stop) {
        QueueRepository repo = start();
        assertEquals(ServerStatus.UP, repo.status(), "up by default");
        for (ServerStatus status : List.of(ServerStatus.READONLY, ServerStatus.QUIESCENT, ServerStatus.UP)) {
            fixture.repo().setStatus(status);
            fixture.restart(stop);
            assertEquals(status, fixture.repo().status());
        }
    }

    @ParameterizedTest
    @EnumSource(Stop.class)
    void theDeliveryCountSurvivesRestartsAndDeadLettersThePoisonItem(Stop stop) {
        start();
        fixture.put("poison", "p1", "p2");
        for (int delivery = 1; delivery <= 2; delivery++) {
            Delivery d = fixture.take("poison", true);
            assertEquals("p1", RepositoryFixture.text(d), "delivery " + delivery);
            d.queue().release(d, true); // an abort, a disconnect or an open-timeout
            fixture.restart(stop);
        }

        assertEquals("p2", RepositoryFixture.text(fixture.take("poison", true)), "p1 was delivered twice: set aside");
        assertEquals(List.of("p1"), fixture.drain("poison_dead"));
        QueueStats poison = fixture.repo().find("poison").stats(List.of());
        assertEquals(0, poison.items());
        assertEquals(1, poison.deadLettered());
    }

    @ParameterizedTest
    @EnumSource(Stop.class)
    void anItemThatExpiredWhileTheServerWasDownIsNotHandedOut(Stop stop) {
        QueueRepository repo = start();
        long expiresAt = fixture.clock.millis() + 200;
        putExpiring(repo, "q", "short-lived", expiresAt);
        putExpiring(repo, "pending", "job", expiresAt);
        fixture.put("q", "kept");

        fixture.restart(stop);
        fixture.clock.advanceMillis(250); // and now its expiry has passed

        assertEquals(List.of("kept"), fixture.drain("q"));
        assertEquals(1, fixture.repo().find("q").stats(List.of()).expiredItems());
        assertNull(fixture.take("pending", false));
        assertEquals(List.of("job"), fixture.drain("ready"), "expire-to-queue moves it after a restart too");
    }

    @ParameterizedTest
    @EnumSource(Stop.class)
    void eachFanoutCopyOfALargeItemIsDeletedOnItsOwn(Stop stop) {
        QueueRepository repo = start();
        repo.getOrCreate("events+a");
        repo.getOrCreate("events+b");
        byte[] large = randomBytes(3 * QueueStore.CHUNK_SIZE + 17, 42);
        fixture.put("events", large);

        assertDataEquals(large, fixture.drainData("events+a"));
        fixture.restart(stop);

        assertDataEquals(large, fixture.drainData("events+b"));
        assertDataEquals(large, fixture.drainData("events"));
    }

    @ParameterizedTest
    @EnumSource(Stop.class)
    void fanoutChildrenAreStillFedAfterARestart(Stop stop) {
        start().getOrCreate("events+a");
        fixture.restart(stop);

        fixture.put("events", "after restart");
        assertEquals(List.of("after restart"), fixture.drain("events+a"));
        assertEquals(List.of("events+a"), fixture.repo().stats().stream()
                .filter(s -> s.name().equals("events")).findFirst().orElseThrow().children());
    }

    private static void assertDataEquals(byte[] expected, List<byte[]> drained) {
        assertEquals(1, drained.size());
        assertArrayEquals(expected, drained.get(0));
    }

    private void putExpiring(QueueRepository repo, String queue, String text, long expiresAt) {
        long now = fixture.clock.millis();
        repo.put(queue, ItemRecord.inline(0, expiresAt, now, text.getBytes(StandardCharsets.UTF_8)), null);
    }
}
