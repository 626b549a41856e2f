package io.darner.server;

import io.darner.config.ValueKey;
import io.darner.protocol.GetKey;
import io.darner.protocol.Request;
import io.darner.queue.Item;
import io.darner.queue.ItemIntake;
import io.darner.queue.OpenReads;
import io.darner.queue.QueueRepository;
import io.darner.queue.Repositories;
import io.darner.queue.RequestTimings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The read side of a connection without a socket: a real repository on a real store, replies
 * recorded as words, timers fired by the test, and the connection's thread the test's own.
 */
class ReadSideTest {
    private static final RequestTimings NO_TIMINGS = new RequestTimings() {
        @Override
        public void setAnswered(long nanos) {
        }

        @Override
        public void getAnswered(long nanos) {
        }
    };

    private static final ServerSettings SETTINGS = new ServerSettings(2048, 1024 * 1024, 1, 256 * 1024, false, "test",
            ValueKey.REQUEST);

    @TempDir
    Path dir;

    private QueueRepository repo;
    private final RecordedReplies replies = new RecordedReplies();
    private final ManualTimers timers = new ManualTimers();
    private ReadSide reads;

    @BeforeEach
    void open() {
        repo = Repositories.open(dir);
        reads = newReadSide(replies);
    }

    @AfterEach
    void close() {
        Repositories.close(repo);
    }

    private ReadSide newReadSide(RecordedReplies to) {
        return new ReadSide(repo, NO_TIMINGS, SETTINGS, timers, Runnable::run, to);
    }

    @Test
    void aGetOfAnEmptyQueueEnds() {
        reads.get(GetKey.plain("q"));
        assertEquals(List.of("end"), replies.said);
    }

    @Test
    void aPlainGetTakesTheHeadForGood() {
        put("q", "a", "b");
        reads.get(GetKey.plain("q"));
        reads.get(GetKey.plain("q"));
        reads.get(GetKey.plain("q"));
        assertEquals(List.of("value q a", "end", "value q b", "end", "end"), replies.said);
    }

    @Test
    void anOpenReadGoesBackWhenTheConnectionEnds() {
        put("q", "a");
        reads.get(open("q"));
        reads.connectionEnded();

        reads = newReadSide(replies);
        reads.get(GetKey.plain("q"));
        assertEquals(List.of("value q/open a", "end", "value q a", "end"), replies.said);
    }

    @Test
    void aClosedReadIsGone() {
        put("q", "a", "b");
        reads.get(open("q"));
        reads.get(new GetKey("q", "q/close/open", -1, true, true, false, false)); // close and open the next
        reads.get(new GetKey("q", "q/close", -1, false, true, false, false)); // close
        reads.connectionEnded();

        reads = newReadSide(replies);
        reads.get(GetKey.plain("q"));
        assertEquals(List.of("value q/open a", "end", "value q/close/open b", "end", "end", "end"), replies.said);
    }

    @Test
    void aSecondOpenReadOnOneQueueIsRefused() {
        put("q", "a", "b");
        reads.get(open("q"));
        reads.get(open("q"));
        assertEquals(List.of("value q/open a", "end", "refuse"), replies.said);
    }

    @Test
    void aConfirmOfReadsThatAreNotOpenIsAnError() {
        reads.confirm("q", 1);
        assertEquals(List.of("error"), replies.said);
    }

    @Test
    void aWaitingGetGetsTheNextItemSet() {
        reads.get(new GetKey("q", "q/t=10000", 10_000, false, false, false, false));
        assertEquals(List.of("waiting"), replies.said);

        put("q", "a");
        assertEquals(List.of("waiting", "over", "value q/t=10000 a", "end", "go on"), replies.said);
        assertEquals(0, timers.pending(), "the timeout is canceled");
    }

    @Test
    void aWaitThatTimesOutEnds() {
        reads.get(new GetKey("q", "q/t=50", 50, false, false, false, false));
        timers.fireAll();
        assertEquals(List.of("waiting", "over", "end", "go on"), replies.said);

        put("q", "a"); // nobody waits for it any more
        reads.get(GetKey.plain("q"));
        assertTrue(replies.said.contains("value q a"));
    }

    @Test
    void aMultiGetTakesFromEachQueueThatHasAnItem() {
        put("a", "1");
        put("c", "3");
        reads.multiGet(List.of(GetKey.plain("a"), GetKey.plain("b"), GetKey.plain("c")), 0);
        assertEquals(List.of("value a 1", "value c 3", "end"), replies.said);
    }

    @Test
    void kestrelsBareQueueNameWhenConfigured() {
        put("q", "a");
        ServerSettings bare = new ServerSettings(2048, 1024 * 1024, 1, 256 * 1024, false, "test", ValueKey.QUEUE);
        new ReadSide(repo, NO_TIMINGS, bare, timers, Runnable::run, replies).get(open("q"));
        assertEquals(List.of("value q a", "end"), replies.said);
    }

    @Test
    void aMonitorHandsOutOpenReadsUntilMax() {
        put("q", "a", "b", "c");
        reads.monitor("q", 10, 2);
        reads.confirm("q", 2);
        assertEquals(List.of("value q a", "value q b", "end", "end"), replies.said);
    }

    @Test
    void aTouchWithoutAnOpenReadOnTheQueueIsNotFound() {
        put("q", "a");
        reads.get(open("q"));
        reads.touch(new Request.Touch("other", 5, false));
        reads.touch(new Request.Touch("other", 5, true));
        assertEquals(List.of("value q/open a", "end", "not found"), replies.said, "noreply: nothing said");
    }

    @Test
    void aTouchedReadGoesBackWhenItsLeaseRunsOut() {
        put("q", "a");
        reads.get(open("q"));
        assertEquals(0, timers.pending(), "no open-timeout");
        reads.touch(new Request.Touch("q", 5, false));
        assertEquals(1, timers.pending(), "a lease");
        reads.touch(new Request.Touch("q", 10, true));
        assertEquals(1, timers.pending(), "the lease replaced");

        timers.fireAll();
        reads.get(GetKey.plain("other")); // the connection may read again: nothing of q's is open
        newReadSide(replies).get(GetKey.plain("q"));
        assertEquals(List.of("value q/open a", "end", "touched", "end", "value q a", "end"), replies.said);
    }

    @Test
    void aTouchWithZeroLeavesNoLease() {
        put("q", "a");
        reads.get(open("q"));
        reads.touch(new Request.Touch("q", 5, false));
        reads.touch(new Request.Touch("q", 0, false));
        assertEquals(0, timers.pending());
        assertEquals(List.of("value q/open a", "end", "touched", "touched"), replies.said);
    }

    @Test
    void anAbortWithADelayEndsAndTheQueueHoldsTheRead() {
        put("q", "a");
        reads.get(open("q"));
        reads.get(new GetKey("q", "q/abort/delay=60000", -1, false, false, true, false, 60_000));
        reads.connectionEnded();

        assertEquals(List.of("value q/open a", "end", "end"), replies.said);
        assertEquals(1, repo.stats("q").delayed(), "held by the queue, not rolled back with the connection");
        assertEquals(0, repo.stats("q").items());
    }

    private static GetKey open(String queue) {
        return new GetKey(queue, queue + "/open", -1, true, false, false, false);
    }

    private void put(String queue, String... texts) {
        for (String text : texts) {
            byte[] data = text.getBytes(StandardCharsets.UTF_8);
            ItemIntake item = repo.beginItem(data.length);
            item.write(data, 0, data.length);
            item.finish(queue, 0, 0);
        }
    }

    /** The replies as words: "value q data", "end", "refuse", ... */
    private static final class RecordedReplies implements ReadReplies {
        final List<String> said = new ArrayList<>();

        @Override
        public void value(String key, Item item, boolean consistent, Runnable settle, Runnable undo) {
            said.add("value " + key + " " + new String(item.smallData(), StandardCharsets.UTF_8));
            settle.run();
        }

        @Override
        public void end() {
            said.add("end");
        }

        @Override
        public void refuse() {
            said.add("refuse");
        }

        @Override
        public void error() {
            said.add("error");
        }

        @Override
        public void touched(boolean found) {
            said.add(found ? "touched" : "not found");
        }

        @Override
        public void failed(String reason) {
            said.add("failed " + reason);
        }

        @Override
        public void afterDurable(CompletableFuture<Void> durable, Runnable then) {
            durable.join();
            then.run();
        }

        @Override
        public void waiting() {
            said.add("waiting");
        }

        @Override
        public void waitOver() {
            said.add("over");
        }

        @Override
        public void goOn() {
            said.add("go on");
        }

        @Override
        public boolean behind() {
            return false;
        }

        @Override
        public void afterDrain(Runnable next) {
            next.run();
        }

        @Override
        public void flushIfLarge() {
        }

        @Override
        public boolean gone() {
            return false;
        }
    }

    /** Timers that fire when the test says. */
    private static final class ManualTimers implements OpenReads.Timers {
        private final Map<Long, Runnable> scheduled = new HashMap<>();
        private long next;

        @Override
        public long schedule(long delayMs, Runnable task) {
            scheduled.put(++next, task);
            return next;
        }

        @Override
        public void cancel(long id) {
            scheduled.remove(id);
        }

        int pending() {
            return scheduled.size();
        }

        void fireAll() {
            List<Runnable> due = new ArrayList<>(scheduled.values());
            scheduled.clear();
            due.forEach(Runnable::run);
        }
    }
}
