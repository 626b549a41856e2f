package io.darner.queue;

import io.darner.config.DarnerConfig;
import io.darner.storage.QueueStore;
import io.darner.storage.Stop;
import io.darner.storage.StoreContents;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static io.darner.storage.TestItems.randomBytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Aliases: a set stores a copy in every destination in one write, or in none; an alias is never a queue. */
class AliasTest {
    private static final byte[] LARGE = randomBytes(2 * QueueStore.CHUNK_SIZE + 5, 11);

    @TempDir
    Path dir;
    private RepositoryFixture fixture;

    @BeforeEach
    void start() {
        fixture = new RepositoryFixture(dir, Map.of(
                "darner.aliases.all.destinations", "a,b,c",
                "darner.aliases.tight.destinations", "a,one",
                "darner.queues.one.max-items", "1",
                "darner.aliases.ring.destinations", "a,r",
                "darner.queues.r.max-items", "1",
                "darner.queues.r.discard-old-when-full", "true",
                "darner.aliases.synced.destinations", "a,s",
                "darner.queues.s.sync", "always"));
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void aSetStoresACopyInEveryDestinationAndNoQueueOfTheAliasesName() {
        fixture.put("all", "x", "y");

        for (String q : List.of("a", "b", "c")) {
            assertEquals(List.of("x", "y"), fixture.drain(q), q);
        }
        assertNull(fixture.repo().find("all"), "an alias is never a queue");
        assertTrue(fixture.repo().isAlias("all"));
        assertFalse(fixture.repo().isAlias("a"));
        assertEquals(new AliasStats("all", List.of("a", "b", "c"), 2), fixture.repo().aliasStats().get(0));
        assertEquals(6, fixture.repo().counters().totalItems.sum(), "every copy counts as an item stored");
    }

    @Test
    void aDelayedSetOnAnAliasPutsADelayedCopyInEveryDestination() {
        fixture.putDelayed("all", 1000, "later");

        for (String q : List.of("a", "b", "c")) {
            assertNull(fixture.take(q, false), q + ": not due yet");
        }
        fixture.advance(1000);
        for (String q : List.of("a", "b", "c")) {
            assertEquals(List.of("later"), fixture.drain(q), q);
        }
        assertNull(fixture.repo().find("all"), "an alias is never a queue");
        assertEquals(1, fixture.repo().aliasStats().get(0).totalItems());
    }

    @Test
    void oneFullDestinationStoresNothingAnywhere() {
        fixture.put("one", "first");

        ItemIntake item = fixture.repo().beginItem(LARGE.length);
        item.write(LARGE, 0, LARGE.length);
        assertEquals(PutResult.NOT_STORED, item.finish("tight", 0, 0));
        assertEquals(PutResult.NOT_STORED, put("tight", "small"));

        assertEquals(List.of(), fixture.drain("a"), "the other destination got nothing");
        assertEquals(List.of("first"), fixture.drain("one"));
        assertEquals(PutResult.STORED, put("tight", "now"));
        assertEquals(List.of("now"), fixture.drain("a"));
        StoreContents contents = fixture.stopAndInspect();
        assertEquals(1, contents.items(), "the copy of 'now' in one");
        assertEquals(0, contents.chunks(), "the refused large item's chunks are gone");
        assertEquals(0, contents.pendingBlobs());
    }

    @Test
    void aDestinationThatDropsItsOldestMakesRoom() {
        fixture.put("ring", "1", "2");

        assertEquals(List.of("1", "2"), fixture.drain("a"));
        assertEquals(List.of("2"), fixture.drain("r"));
    }

    @ParameterizedTest
    @EnumSource(Stop.class)
    void theCopiesOfALargeItemShareItsChunksAcrossARestartUntilTheLastIsTaken(Stop how) {
        ItemIntake item = fixture.repo().beginItem(LARGE.length);
        item.write(LARGE, 0, LARGE.length);
        assertEquals(PutResult.STORED, item.finish("all", 3, 0));

        fixture.restart(how);

        assertArrayEquals(LARGE, fixture.drainData("a").get(0));
        assertArrayEquals(LARGE, fixture.drainData("b").get(0));
        assertArrayEquals(LARGE, fixture.drainData("c").get(0));
        StoreContents contents = fixture.stopAndInspect();
        assertEquals(0, contents.items());
        assertEquals(0, contents.chunks(), "deleted with the last copy");
    }

    @Test
    void aWaitingReaderOfADestinationGetsItsCopy() {
        Queue a = fixture.repo().getOrCreate("a");
        Delivery[] offered = new Delivery[1];
        Waiter waiter = new Waiter() {
            @Override
            public boolean offer(Delivery d) {
                offered[0] = d;
                return true;
            }

            @Override
            public void cancel() {
            }
        };
        assertNull(a.takeOrWait(waiter, false));

        fixture.put("all", "hello");

        assertNotNull(offered[0]);
        assertEquals("hello", RepositoryFixture.text(offered[0]));
    }

    @Test
    void aSetOnAnAliasWaitsForTheFsyncWhenADestinationSyncsAlways() {
        assertNotNull(fixture.repo().durability("synced", false));
        assertNull(fixture.repo().durability("all", false));
    }

    @Test
    void anAliasCannotBeMadeAQueue() {
        assertThrows(IllegalArgumentException.class, () -> fixture.repo().getOrCreate("all"));
    }

    @Test
    void destinationsAreLockedInTheOrderItemsMoveBetweenQueues() {
        DarnerConfig config = TestConfig.darner(Map.of("darner.aliases.x.destinations", "dlq,mid,src,other",
                "darner.queues.src.dead-letter-queue", "mid", "darner.queues.mid.expire-to-queue", "dlq"));
        Aliases aliases = new Aliases(config, new QueuePolicies(config));

        assertEquals(List.of("src", "mid", "dlq", "other"), aliases.get("x").lockOrder());
        assertEquals(List.of("dlq", "mid", "src", "other"), aliases.get("x").destinations());
    }

    /**
     * A set on an alias of a queue and its dead-letter queue holds both locks while consumers of the
     * queue dead-letter items (which locks the queue, then the dead-letter queue): the alias takes
     * them in that same order, so neither waits for the other forever.
     */
    @Test
    void setsOnAnAliasAndDeadLettersOfItsDestinationsNeverDeadlock() throws Exception {
        fixture.close();
        fixture = new RepositoryFixture(dir, Map.of("darner.queues.src.max-deliveries", "1",
                "darner.queues.src.dead-letter-queue", "dead", "darner.aliases.x.destinations", "dead,src"));
        int sets = 5_000; // a smoke test: with the locks taken by name instead, a run of 50,000 hung
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            Future<?> producer = threads.submit(() -> {
                for (int i = 0; i < sets; i++) {
                    assertEquals(PutResult.STORED, put("x", "item " + i));
                }
            });
            Future<?> failingConsumer = threads.submit(() -> {
                while (!producer.isDone() || fixture.repo().find("src").stats(List.of()).items() > 0) {
                    Delivery d = fixture.take("src", true);
                    if (d != null) {
                        d.queue().release(d, true); // dead-lettered when it comes to the head again
                    }
                }
            });
            producer.get(2, TimeUnit.MINUTES);
            failingConsumer.get(2, TimeUnit.MINUTES);
        } finally {
            threads.shutdownNow();
        }
        assertEquals(2 * sets, fixture.drain("dead").size(), "every copy set into dead, and every one dead-lettered there");
    }

    static Stream<Arguments> badAliases() {
        return Stream.of(
                arguments(Map.of("darner.aliases.\"bad/name\".destinations", "a"), "darner.aliases.\"bad/name\"."),
                arguments(Map.of("darner.aliases.\"p+c\".destinations", "a"), "darner.aliases.\"p+c\"."),
                arguments(Map.of("darner.aliases.x.destinations", "a,bad/name"), "darner.aliases.\"x\".destinations=a,bad/name: "),
                arguments(Map.of("darner.aliases.x.destinations", "a,a"), "darner.aliases.\"x\".destinations=a,a: names 'a' twice"),
                arguments(Map.of("darner.aliases.x.destinations", "a,y", "darner.aliases.y.destinations", "b"),
                        "darner.aliases.\"x\".destinations=a,y: 'y' is an alias"),
                arguments(Map.of("darner.aliases.x.destinations", "x"), "darner.aliases.\"x\".destinations=x: 'x' is an alias"),
                arguments(Map.of("darner.aliases.x.destinations", "a", "darner.queues.x.max-items", "3"),
                        "darner.aliases.\"x\".destinations: 'x' is an alias and has queue settings"),
                arguments(Map.of("darner.aliases.x.destinations", "f", "darner.queues.f.fanout-only", "true"),
                        "darner.aliases.\"x\".destinations=f: 'f' is fanout-only"),
                arguments(Map.of("darner.aliases.x.destinations", "a", "darner.queues.q.dead-letter-queue", "x"),
                        "darner.queues.\"q\".dead-letter-queue=x: an alias"),
                arguments(Map.of("darner.aliases.x.destinations", "a", "darner.queue-defaults.expire-to-queue", "x"),
                        "darner.queue-defaults.expire-to-queue=x: an alias"));
    }

    @ParameterizedTest
    @MethodSource("badAliases")
    void aBadAliasStopsTheStartNamingItsKey(Map<String, String> settings, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new QueuePolicies(TestConfig.darner(settings)));
        assertTrue(e.getMessage().startsWith(message), "'" + e.getMessage() + "' should start with " + message);
    }

    private PutResult put(String queue, String text) {
        byte[] data = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        ItemIntake item = fixture.repo().beginItem(data.length);
        item.write(data, 0, data.length);
        return item.finish(queue, 0, 0);
    }
}
