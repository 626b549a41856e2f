package io.darner.server;

import io.darner.protocol.GetKey;
import io.darner.protocol.Request;
import io.darner.queue.Delivery;
import io.darner.queue.Item;
import io.darner.queue.OpenReads;
import io.darner.queue.Queue;
import io.darner.queue.QueueRepository;
import io.darner.queue.RepositoryCounters;
import io.darner.queue.RequestTimings;
import org.jboss.logging.Logger;

import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * The read side of one connection: gets (plain, blocking, reliable, peek), multi-key gets, monitor
 * and confirm, the connection's open reads and its wait for an item. It speaks in queue terms to
 * {@link ReadReplies}, never in bytes, so it is tested without sockets.
 *
 * <p>All of it runs on the connection's thread ({@code connectionThread}); a queue offering an
 * item to a waiting get hands over to that thread.
 */
final class ReadSide {
    private static final Logger LOG = Logger.getLogger(ReadSide.class);
    private static final ThrottledLog STORE_ERRORS = new ThrottledLog(LOG, 10_000);

    private final QueueRepository repo;
    private final RepositoryCounters counters;
    private final RequestTimings timings;
    private final ServerSettings settings;
    private final OpenReads openReads;
    private final OpenReads.Timers timers;
    private final Executor connectionThread;
    private final ReadReplies replies;
    /** The get waiting for an item, or null. */
    private PendingGet waiting;

    ReadSide(QueueRepository repo, RequestTimings timings, ServerSettings settings, OpenReads.Timers timers,
             Executor connectionThread, ReadReplies replies) {
        this.repo = repo;
        this.counters = repo.counters();
        this.timings = timings;
        this.settings = settings;
        this.timers = timers;
        this.connectionThread = connectionThread;
        this.replies = replies;
        this.openReads = new OpenReads(settings.maxOpenReads(), timers);
    }

    boolean gone() {
        return replies.gone();
    }

    void onConnectionThread(Runnable task) {
        connectionThread.execute(task);
    }

    // ---- get of one key

    void get(GetKey key) {
        String name = key.queue();
        if (repo.isAlias(name)) { // an alias takes sets only: it holds nothing, and a get never makes it a queue
            if (key.fetches() && !repo.status().allowsReads()) {
                replies.failed("server is quiescent");
            } else {
                replies.end();
            }
            return;
        }
        if (!key.fetches()) {
            repo.getOrCreate(name); // any form of get creates its queue (spec 2), close or abort alone too
        }
        if (key.abort()) {
            if (key.delayMs() > 0) {
                openReads.abortOldestAfter(name, key.delayMs());
            } else {
                openReads.abortOldest(name);
            }
            replies.end();
            return;
        }
        boolean confirmed = key.close() && openReads.confirmOldest(name);
        boolean confirmDurable = confirmed && repo.syncsAlways(name);
        if (!key.fetches()) {
            if (confirmDurable) {
                replies.afterDurable(repo.durability(name, true), replies::end);
            } else {
                replies.end();
            }
        } else if (confirmDurable) {
            // the reply to /close/open acknowledges the confirm too: its next item goes out once the confirm is on disk
            replies.afterDurable(repo.durability(name, true), () -> fetch(name, key));
        } else {
            fetch(name, key);
        }
    }

    /** The fetching part of a get of one key: a take, an open read, a peek, with or without a wait. */
    private void fetch(String name, GetKey key) {
        if (!repo.status().allowsReads()) {
            replies.failed("server is quiescent");
            return;
        }
        if ((key.plainTake() && openReads.count(name) > 0) || (key.open() && !openReads.canOpen(name))) {
            replies.refuse();
            return;
        }
        if (key.peek()) {
            counters.cmdPeek.increment();
        } else {
            counters.cmdGet.increment();
        }
        Queue queue = repo.getOrCreate(name);
        long started = System.nanoTime();
        Runnable endTimed = () -> {
            replies.end();
            timings.getAnswered(System.nanoTime() - started); // a get that waited is not timed: its time is the producer's
        };
        if (key.peek()) {
            Item head = queue.peek();
            if (head != null) {
                replies.value(settings.valueKey(key), head, true, endTimed, () -> { });
                return;
            }
        }
        Delivery d;
        if (key.timeoutMs() > 0) {
            PendingGet wait = new PendingGet(this, queue, item -> deliverOne(item, key, replies::end),
                    () -> {
                        counters.getMisses.increment();
                        replies.end();
                    });
            d = queue.takeOrWait(wait, key.open());
            if (d == null) {
                startWaiting(wait, key.timeoutMs());
                return;
            }
        } else {
            d = key.peek() ? null : queue.take(key.open());
        }
        if (d == null) {
            counters.getMisses.increment();
            endTimed.run();
        } else {
            deliverOne(d, key, endTimed);
        }
    }

    /** A plain take from each queue, in order; resumes here after an item that streamed. */
    void multiGet(List<GetKey> keys, int from) {
        if (from == 0 && !repo.status().allowsReads()) {
            replies.failed("server is quiescent");
            return;
        }
        // refused as a whole before anything is taken: an item must not go out in a reply ending in ERROR
        if (from == 0 && keys.stream().anyMatch(key -> openReads.count(key.queue()) > 0)) {
            replies.refuse();
            return;
        }
        for (int i = from; i < keys.size(); i++) {
            GetKey key = keys.get(i);
            counters.cmdGet.increment();
            Delivery d = repo.isAlias(key.queue()) ? null : repo.getOrCreate(key.queue()).take(false);
            if (d == null) {
                counters.getMisses.increment();
                continue;
            }
            int next = i + 1;
            deliver(d, key, () -> multiGet(keys, next));
            return;
        }
        replies.end();
    }

    // ---- waits

    private void startWaiting(PendingGet wait, long timeoutMs) {
        waiting = wait;
        replies.waiting();
        wait.timerId = timers.schedule(timeoutMs, () -> onWaitTimeout(wait));
    }

    private void onWaitTimeout(PendingGet wait) {
        if (waiting != wait || !wait.queue.stopWaiting(wait)) {
            return; // an item was offered meanwhile: it is on its way
        }
        onWaitEnded(wait);
    }

    /** The wait ended with nothing: timeout, or the queue was deleted. */
    void onWaitEnded(PendingGet wait) {
        if (waiting != wait) {
            return;
        }
        timers.cancel(wait.timerId);
        waiting = null;
        replies.waitOver();
        wait.onNothing.run();
        replies.goOn();
    }

    /** A waiter was offered an item (on this connection's thread now). */
    void onOffered(PendingGet wait, Delivery d) {
        if (replies.gone() || waiting != wait) {
            d.queue().release(d, false); // the item goes to the next reader, never into a dead socket
            return;
        }
        timers.cancel(wait.timerId);
        waiting = null;
        replies.waitOver();
        wait.onItem.accept(d);
        replies.goOn();
    }

    // ---- handing items out

    /**
     * {@link #deliver} for a get of one key. A plain take of a small item is removed from the store
     * before it is written: if the store refuses, the client gets the store's reason and the item
     * stays at the head, rather than the item and a copy left behind for the next reader. (A large
     * item streams first and is removed after; a multi-key get cannot put an error between its
     * values.)
     */
    private void deliverOne(Delivery d, GetKey key, Runnable then) {
        if (key.plainTake() && !d.isLarge()) {
            try {
                d.queue().confirm(d); // puts the item back at the head if it fails
            } catch (UncheckedIOException e) {
                STORE_ERRORS.warn("could not remove an item to hand out: " + e.getMessage());
                replies.failed(e.getMessage());
                return;
            }
            counters.getHits.increment();
            replies.value(settings.valueKey(key), d, false, then, () -> { });
            return;
        }
        deliver(d, key, then);
    }

    /**
     * Writes a taken item, then settles it: confirmed for a plain get, kept open for /open, put
     * back for a peek that waited. {@code then} runs once the item is written.
     */
    private void deliver(Delivery d, GetKey key, Runnable then) {
        if (!key.peek()) {
            counters.getHits.increment();
        }
        Runnable settle = () -> {
            if (key.peek()) {
                d.queue().release(d, false);
            } else if (key.open()) {
                openReads.add(d);
            } else {
                confirmTaken(d);
            }
            then.run();
        };
        replies.value(settings.valueKey(key), d, false, settle, () -> d.queue().release(d, false));
    }

    /**
     * Removes an item a plain get has written. If the store refuses, the item went back to the head
     * and will be delivered again (at-least-once); the reply already sent stays well-formed.
     */
    private static void confirmTaken(Delivery d) {
        try {
            d.queue().confirm(d);
        } catch (UncheckedIOException e) {
            STORE_ERRORS.warn("could not remove a delivered item, it will be delivered again: " + e.getMessage());
        }
    }

    // ---- monitor and confirm

    /**
     * {@code monitor <q> <seconds> [max]}: hands out items as open reads, as they come, until
     * {@code max} items or the time is up, then the end. Confirmed with {@link #confirm}.
     */
    void monitor(String name, int seconds, int max) {
        if (!repo.status().allowsReads()) {
            replies.failed("server is quiescent");
            return;
        }
        if (repo.isAlias(name)) {
            replies.end();
            return;
        }
        long deadline = repo.clock().millis() + seconds * 1000L;
        monitorNext(repo.getOrCreate(name), deadline, max);
    }

    private void monitorNext(Queue queue, long deadline, int remaining) {
        while (true) {
            long left = deadline - repo.clock().millis();
            if (remaining <= 0 || left <= 0) {
                replies.end();
                return;
            }
            if (replies.behind()) {
                int r = remaining;
                replies.afterDrain(() -> monitorNext(queue, deadline, r));
                return;
            }
            counters.cmdGet.increment();
            Delivery d = queue.take(true);
            if (d == null) {
                int r = remaining;
                PendingGet wait = new PendingGet(this, queue, item -> monitorDeliver(queue, item, deadline, r),
                        replies::end);
                d = queue.takeOrWait(wait, true);
                if (d == null) {
                    startWaiting(wait, left);
                    return;
                }
            }
            if (d.isLarge()) {
                monitorDeliver(queue, d, deadline, remaining); // streams, then continues from there
                return;
            }
            counters.getHits.increment();
            Delivery item = d;
            replies.value(queue.name(), d, false, () -> openReads.add(item), () -> { });
            remaining--;
            replies.flushIfLarge();
        }
    }

    private void monitorDeliver(Queue queue, Delivery d, long deadline, int remaining) {
        counters.getHits.increment();
        replies.value(queue.name(), d, false, () -> {
            openReads.add(d);
            monitorNext(queue, deadline, remaining - 1);
        }, () -> d.queue().release(d, false));
    }

    /** Confirms the {@code count} oldest open reads on the queue; refused when fewer are open. */
    void confirm(String queue, int count) {
        if (!openReads.confirm(queue, count)) {
            replies.error();
        } else if (count > 0 && repo.syncsAlways(queue)) {
            replies.afterDurable(repo.durability(queue, true), replies::end);
        } else {
            replies.end();
        }
    }

    /** {@code touch <q> <seconds>}: the connection's open reads on q get a new lease (none for 0). */
    void touch(Request.Touch touch) {
        boolean found = openReads.touch(touch.queue(), touch.seconds() * 1000L);
        if (!touch.noreply()) {
            replies.touched(found);
        }
    }

    // ---- lifecycle

    /** The server is stopping: a blocked get ends with nothing. */
    void stopWaiting() {
        if (waiting != null && waiting.queue.stopWaiting(waiting)) {
            onWaitEnded(waiting);
        }
    }

    /** The connection ended: its wait stops and every open read goes back to its queue. */
    void connectionEnded() {
        if (waiting != null) {
            timers.cancel(waiting.timerId);
            waiting.queue.stopWaiting(waiting); // if an item was offered already, onOffered puts it back
            waiting = null;
        }
        openReads.rollBackAll();
    }
}
