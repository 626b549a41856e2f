package io.darner.queue;

import org.jboss.logging.Logger;

import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Wakes queues when their delayed items or held reads fall due ({@link Queue#releaseDue}): one
 * timer on the repository's background thread, set for the earliest time any queue asked for.
 * It goes by the queues' clock; a clock that jumps (or a test's manual clock) is caught up by the
 * repository's sweep, which asks every queue each second as well.
 */
final class DueTimer {
    private static final Logger LOG = Logger.getLogger(DueTimer.class);

    private record Wake(long at, Queue queue) {}

    private final ScheduledExecutorService executor;
    private final InstantSource clock;
    private final PriorityQueue<Wake> wakes = new PriorityQueue<>(Comparator.comparingLong(Wake::at));
    private ScheduledFuture<?> pending;
    private long pendingAt = Long.MAX_VALUE;

    DueTimer(ScheduledExecutorService executor, InstantSource clock) {
        this.executor = executor;
        this.clock = clock;
    }

    /** Wakes {@code queue} at {@code at} (epoch ms by the clock), or soon after. */
    synchronized void wakeAt(Queue queue, long at) {
        wakes.add(new Wake(at, queue));
        if (at < pendingAt) {
            schedule(at);
        }
    }

    private void schedule(long at) {
        if (pending != null) {
            pending.cancel(false);
        }
        pendingAt = at;
        try {
            pending = executor.schedule(this::fire, Math.max(0, at - clock.millis()), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            pending = null; // the repository is closing: nothing more falls due in this run
        }
    }

    private void fire() {
        List<Queue> due = new ArrayList<>();
        synchronized (this) {
            pending = null;
            pendingAt = Long.MAX_VALUE;
            long now = clock.millis();
            while (!wakes.isEmpty() && wakes.peek().at() <= now) {
                due.add(wakes.poll().queue());
            }
            if (!wakes.isEmpty()) {
                schedule(wakes.peek().at());
            }
        }
        for (Queue q : new LinkedHashSet<>(due)) { // outside this lock: a queue calls wakeAt under its own
            try {
                q.releaseDue();
            } catch (RuntimeException e) {
                // a failing store: the queue keeps its due items, and the sweep tries again each second
                LOG.debugf("moving the due items of queue %s failed: %s", q.name(), e.getMessage());
            }
        }
    }
}
