package io.darner.queue;

import io.darner.storage.QueueStore;
import io.darner.storage.Stop;
import io.darner.storage.StoreContents;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.darner.storage.TestItems.randomBytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Redrive: dead letters keep their origin, durably, and go back to it (or elsewhere), in order, counted afresh. */
class RedriveTest {
    private static final String DLQ = "dead";

    @TempDir
    Path dir;
    private RepositoryFixture fixture;

    @BeforeEach
    void start() {
        fixture = new RepositoryFixture(dir, Map.of("darner.queue-defaults.max-deliveries", "2",
                "darner.queue-defaults.dead-letter-queue", DLQ, "darner.queues.small.max-items", "1",
                "darner.aliases.both.destinations", "a,b"));
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    /** Fails the head item of the queue until it is dead-lettered. */
    private void deadLetter(String queue) {
        for (int i = 0; i < 2; i++) {
            Delivery d = fixture.take(queue, true);
            d.queue().release(d, true);
        }
        assertNull(fixture.take(queue, false), queue + " is empty: its item was dead-lettered");
    }

    /** Dead-letters each text from its queue: pairs of queue and text. */
    private void deadLetters(String... queuesAndTexts) {
        for (int i = 0; i < queuesAndTexts.length; i += 2) {
            fixture.put(queuesAndTexts[i], queuesAndTexts[i + 1]);
            deadLetter(queuesAndTexts[i]);
        }
    }

    @Test
    void everyItemGoesBackToItsOriginInOrderAtTheTailWithItsDeliveriesReset() {
        deadLetters("jobs", "j1", "mail", "m1", "jobs", "j2");
        fixture.put("jobs", "j3");

        assertEquals(3, fixture.repo().redrive(DLQ, Long.MAX_VALUE, null));

        assertEquals(0, fixture.repo().stats(DLQ).items());
        Delivery d = fixture.take("jobs", true);
        assertEquals("j3", RepositoryFixture.text(d), "at the tail, behind what was there");
        d.queue().confirm(d);
        Delivery j1 = fixture.take("jobs", true);
        assertEquals("j1", RepositoryFixture.text(j1));
        assertEquals(0, j1.record().deliveries(), "delivery count reset");
        assertNull(j1.record().origin(), "no longer a dead letter");
        j1.queue().release(j1, true);
        assertEquals(List.of("j1", "j2"), fixture.drain("jobs"), "one failure again does not dead-letter it");
        assertEquals(List.of("m1"), fixture.drain("mail"));
    }

    @Test
    void aLimitMovesThatManyFromTheHead() {
        deadLetters("jobs", "j1", "jobs", "j2", "jobs", "j3");

        assertEquals(2, fixture.repo().redrive(DLQ, 2, null));

        assertEquals(List.of("j1", "j2"), fixture.drain("jobs"));
        assertEquals(List.of("j3"), fixture.drain(DLQ));
    }

    @Test
    void toMovesEveryItemThereInstead() {
        deadLetters("jobs", "j1", "mail", "m1");

        assertEquals(2, fixture.repo().redrive(DLQ, Long.MAX_VALUE, "retry"));

        assertEquals(List.of("j1", "m1"), fixture.drain("retry"));
        assertEquals(List.of(), fixture.drain("jobs"));
    }

    @Test
    void itStopsAtAnItemWithoutAnOriginOrWhoseDestinationIsFullLeavingItAtTheHead() {
        deadLetters("jobs", "j1");
        fixture.put(DLQ, "set directly");
        deadLetters("jobs", "j2");

        assertEquals(1, fixture.repo().redrive(DLQ, Long.MAX_VALUE, null));
        assertEquals(List.of("j1"), fixture.drain("jobs"));
        assertEquals(1, fixture.repo().redrive(DLQ, 1, "elsewhere"), "'to' moves it");
        assertEquals(1, fixture.repo().redrive(DLQ, Long.MAX_VALUE, null));
        assertEquals(List.of("set directly"), fixture.drain("elsewhere"));
        assertEquals(List.of("j2"), fixture.drain("jobs"));

        deadLetters("small", "s1", "small", "s2");
        fixture.put("small", "fills it");
        assertEquals(0, fixture.repo().redrive(DLQ, Long.MAX_VALUE, null));
        assertEquals(List.of("fills it"), fixture.drain("small"));
        assertEquals(1, fixture.repo().redrive(DLQ, Long.MAX_VALUE, null), "one fits now");
        assertEquals(List.of("s2"), fixture.drain(DLQ), "the other stays, in order");
        assertEquals(List.of("s1"), fixture.drain("small"));
    }

    @Test
    void aQueueThatIsNotThereIsMinusOneAndNothingIsCreated() {
        assertEquals(-1, fixture.repo().redrive("nothing", 10, null));
        assertNull(fixture.repo().find("nothing"));
        assertEquals(0, fixture.repo().redrive(create("empty"), 10, null));
    }

    @ParameterizedTest
    @EnumSource(Stop.class)
    void theOriginIsKeptAcrossARestart(Stop how) {
        byte[] large = randomBytes(QueueStore.CHUNK_SIZE * 2 + 3, 5);
        deadLetters("jobs", "j1");
        fixture.put("mail", large);
        deadLetter("mail");

        fixture.restart(how);

        assertEquals(2, fixture.repo().redrive(DLQ, Long.MAX_VALUE, null));
        assertEquals(List.of("j1"), fixture.drain("jobs"));
        List<byte[]> mail = fixture.drainData("mail");
        assertEquals(1, mail.size());
        assertArrayEquals(large, mail.get(0));
        StoreContents contents = fixture.stopAndInspect();
        assertEquals(0, contents.items());
        assertEquals(0, contents.chunks());
    }

    @Test
    void aRedrivenItemThatFailsAgainIsADeadLetterOfItsQueueAgain() {
        deadLetters("jobs", "j1");
        fixture.repo().redrive(DLQ, Long.MAX_VALUE, null);
        deadLetter("jobs");

        assertEquals(2, fixture.repo().find("jobs").stats(List.of()).deadLettered());
        assertEquals(1, fixture.repo().redrive(DLQ, Long.MAX_VALUE, null));
        assertEquals(List.of("j1"), fixture.drain("jobs"));
    }

    @Test
    void theDeadLetterQueuesAreKnownFromTheSettings() {
        assertTrue(fixture.repo().isDeadLetterQueue(DLQ));
        assertFalse(fixture.repo().isDeadLetterQueue("jobs"));
    }

    @Test
    void anOriginThatIsNowAnAliasStopsTheRedrive() {
        fixture.put(DLQ, "x");
        Queue dlq = fixture.repo().find(DLQ);
        Delivery d = dlq.takeToMove();
        assertTrue(fixture.repo().getOrCreate("c").acceptMoved(d.qid(), d.seq(), d.record().withOrigin("both")));
        dlq.movedAway(d);
        assertEquals(0, fixture.repo().redrive("c", Long.MAX_VALUE, null));
        assertEquals(List.of("x"), fixture.drain("c"));
    }

    private String create(String name) {
        fixture.repo().getOrCreate(name);
        return name;
    }
}
