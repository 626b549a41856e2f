package io.darner.queue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Per-queue settings (spec 5): how each queue's policy is resolved from the defaults, its parent's
 * entry and its own, and that every bad setting stops the start with a message naming its key.
 */
class QueuePoliciesTest {

    private static QueuePolicies policies(Map<String, String> settings) {
        return new QueuePolicies(TestConfig.darner(settings));
    }

    @Test
    void aQueueTakesTheDefaultsThenItsParentsEntryThenItsOwn() {
        QueuePolicies p = policies(Map.of(
                "darner.queue-defaults.max-age", "1h",
                "darner.queue-defaults.max-items", "100",
                "darner.queues.parent.max-items", "3",
                "darner.queues.parent.open-timeout", "300ms",
                "darner.queues.\"parent+own\".max-items", "7"));

        QueuePolicy unnamed = p.forQueue("anything");
        assertEquals(3_600_000, unnamed.maxAgeMs());
        assertEquals(100, unnamed.maxItems());
        assertEquals(0, unnamed.openTimeoutMs());

        QueuePolicy parent = p.forQueue("parent");
        assertEquals(3, parent.maxItems());
        assertEquals(300, parent.openTimeoutMs());
        assertEquals(3_600_000, parent.maxAgeMs());

        QueuePolicy child = p.forQueue("parent+child");
        assertEquals(3, child.maxItems(), "a fanout child inherits its parent's entry");
        assertEquals(300, child.openTimeoutMs());
        assertEquals(3_600_000, child.maxAgeMs());

        QueuePolicy own = p.forQueue("parent+own");
        assertEquals(7, own.maxItems(), "a child's own entry wins over its parent's");
        assertEquals(300, own.openTimeoutMs());
    }

    @Test
    void nothingConfiguredMeansNoLimitsAndTheServerSettings() {
        QueuePolicy none = policies(Map.of("darner.max-item-size", "1M", "darner.sync", "always")).forQueue("q");
        assertEquals(Long.MAX_VALUE, none.maxItems());
        assertEquals(Long.MAX_VALUE, none.maxSize());
        assertEquals(1024 * 1024, none.maxItemSize());
        assertFalse(none.discardOldWhenFull());
        assertEquals(0, none.maxAgeMs());
        assertNull(none.expireToQueue());
        assertNull(none.deadLetterQueue());
        assertEquals(0, none.maxDeliveries());
        assertTrue(none.sync().always());
    }

    @Test
    void aQueueNameWithADotIsAKeyInQuotes() {
        QueuePolicies p = policies(Map.of("darner.queues.\"billing.v2\".sync", "always"));
        assertTrue(p.forQueue("billing.v2").sync().always());
        assertFalse(p.forQueue("billing").sync().always());
    }

    @Test
    void theChildrenOfAFanoutOnlyParentStoreTheirCopies() {
        QueuePolicies p = policies(Map.of("darner.queues.fan.fanout-only", "true"));
        assertTrue(p.forQueue("fan").fanoutOnly());
        assertFalse(p.forQueue("fan+a").fanoutOnly(), "a child of a fanout-only parent is an ordinary queue");
    }

    static Stream<Arguments> syncPeriods() {
        return Stream.of(
                arguments(Map.of(), 0L),
                arguments(Map.of("darner.sync", "500"), 500L),
                arguments(Map.of("darner.sync", "always", "darner.queues.slow.sync", "never"), 0L),
                arguments(Map.of("darner.sync", "500", "darner.queues.logs.sync", "200"), 200L),
                arguments(Map.of("darner.queue-defaults.sync", "300", "darner.queues.fast.sync", "always"), 300L),
                arguments(Map.of("darner.queues.a.sync", "700", "darner.queues.b.sync", "250"), 250L));
    }

    @ParameterizedTest
    @MethodSource("syncPeriods")
    void theStoreIsSyncedAtTheShortestPeriodAnyQueueAsksFor(Map<String, String> settings, long expectedMs) {
        assertEquals(expectedMs, policies(settings).syncPeriodMs());
    }

    static Stream<Arguments> badSettings() {
        return Stream.of(
                arguments(Map.of("darner.queues.neg.max-items", "-1"), "darner.queues.\"neg\".max-items"),
                arguments(Map.of("darner.queue-defaults.max-items", "0"), "darner.queue-defaults.max-items"),
                arguments(Map.of("darner.queues.neg.max-deliveries", "-2"), "darner.queues.\"neg\".max-deliveries"),
                arguments(Map.of("darner.queues.big.max-item-size", "64M"), "darner.queues.\"big\".max-item-size"),
                arguments(Map.of("darner.queues.self.expire-to-queue", "self"),
                        "darner.queues.\"self\".expire-to-queue"),
                arguments(Map.of("darner.queues.self.dead-letter-queue", "self"),
                        "darner.queues.\"self\".dead-letter-queue"),
                arguments(Map.of("darner.queues.a.dead-letter-queue", "bad/name"),
                        "darner.queues.\"a\".dead-letter-queue"),
                arguments(Map.of("darner.queues.\"bad/name\".max-items", "1"), "darner.queues.\"bad/name\""),
                arguments(Map.of("darner.queues.s.sync", "sometimes"), "darner.queues.\"s\".sync"),
                arguments(Map.of("darner.sync", "sometimes"), "darner.sync"));
    }

    @ParameterizedTest
    @MethodSource("badSettings")
    void aBadSettingStopsTheStartNamingItsKey(Map<String, String> settings, String key) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> policies(settings));
        assertTrue(e.getMessage().startsWith(key), "'" + e.getMessage() + "' should name " + key);
    }

    static Stream<Arguments> cycles() {
        return Stream.of(
                arguments(Map.of("darner.queues.a.dead-letter-queue", "b", "darner.queues.b.dead-letter-queue", "a"),
                        "darner\\.queues\\.\"[ab]\"\\.dead-letter-queue=[ab]: .*cycle: (a -> b -> a|b -> a -> b)"),
                arguments(Map.of("darner.queues.a.expire-to-queue", "b", "darner.queues.b.dead-letter-queue", "c",
                                "darner.queues.c.expire-to-queue", "a"),
                        "darner\\.queues\\.\"[abc]\"\\.(expire-to-queue|dead-letter-queue)=[abc]: .*cycle: .*"),
                // through the defaults: every queue dead-letters to d and expires to e, so d and e feed each other
                arguments(Map.of("darner.queue-defaults.dead-letter-queue", "d", "darner.queue-defaults.expire-to-queue", "e"),
                        "darner\\.queue-defaults\\.(expire-to-queue|dead-letter-queue)=[de]: .*cycle: (d -> e -> d|e -> d -> e)"));
    }

    @ParameterizedTest
    @MethodSource("cycles")
    void aCycleOfExpiryAndDeadLetterQueuesStopsTheStartNamingAKeyOfIt(Map<String, String> settings, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> policies(settings));
        assertTrue(e.getMessage().matches(message), "'" + e.getMessage() + "' should match " + message);
    }

    @Test
    void aQueueNeverInheritsItselfAsItsOwnTarget() {
        QueuePolicies p = policies(Map.of("darner.queue-defaults.max-deliveries", "1",
                "darner.queue-defaults.dead-letter-queue", "dlq", "darner.queues.p.expire-to-queue", "p+c"));
        assertEquals("dlq", p.forQueue("jobs").deadLetterQueue());
        assertNull(p.forQueue("dlq").deadLetterQueue(), "dlq drops its own failed items");
        assertEquals(1, p.forQueue("dlq").maxDeliveries());
        assertEquals("p+c", p.forQueue("p").expireToQueue());
        assertNull(p.forQueue("p+c").expireToQueue(), "the child does not expire into itself");
        assertEquals("p+c", p.forQueue("p+d").expireToQueue());
    }

    @Test
    void aChainWithoutACycleIsFine() {
        QueuePolicies p = policies(Map.of("darner.queues.pending.expire-to-queue", "ready",
                "darner.queues.ready.max-deliveries", "3", "darner.queues.ready.dead-letter-queue", "dead"));
        assertEquals("ready", p.forQueue("pending").expireToQueue());
        assertEquals("dead", p.forQueue("ready").deadLetterQueue());
    }
}
