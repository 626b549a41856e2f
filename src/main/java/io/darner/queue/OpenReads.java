package io.darner.queue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The open (unconfirmed) reads of one client connection, per queue, oldest first. An open read of
 * a queue with an open-timeout, or one given a lease with {@link #touch}, goes back to the head
 * when it is not confirmed in time. Not
 * thread-safe: one connection uses it from its own thread, and {@code timers} call back there.
 */
public final class OpenReads {

    /** One-shot timers on the connection's thread. */
    public interface Timers {
        long schedule(long delayMs, Runnable task);

        void cancel(long id);
    }

    private record Open(Delivery delivery, long timerId) {}

    private final int maxPerQueue;
    private final Timers timers;
    private final Map<String, ArrayDeque<Open>> byQueue = new HashMap<>();
    /** Queues in the order their first open read was made, for rolling back in order. */
    private final List<String> queueOrder = new ArrayList<>();

    public OpenReads(int maxPerQueue, Timers timers) {
        this.maxPerQueue = maxPerQueue;
        this.timers = timers;
    }

    public int count(String queue) {
        ArrayDeque<Open> open = byQueue.get(queue);
        return open == null ? 0 : open.size();
    }

    /** Whether one more read may be opened on the queue. */
    public boolean canOpen(String queue) {
        return count(queue) < maxPerQueue;
    }

    public void add(Delivery d) {
        Delivery kept = d.withoutData();
        long timeout = d.queue().policy().openTimeoutMs();
        long timerId = timeout > 0 ? timers.schedule(timeout, () -> timedOut(kept)) : -1;
        byQueue.computeIfAbsent(d.queue().name(), q -> {
            queueOrder.add(q);
            return new ArrayDeque<>();
        }).add(new Open(kept, timerId));
    }

    /** Confirms the oldest open read on the queue; false if there is none. */
    public boolean confirmOldest(String queue) {
        Delivery d = poll(queue);
        if (d == null) {
            return false;
        }
        d.queue().confirm(d);
        return true;
    }

    /** Puts the oldest open read on the queue back at its head; false if there is none. */
    public boolean abortOldest(String queue) {
        Delivery d = poll(queue);
        if (d == null) {
            return false;
        }
        d.queue().release(d, true);
        return true;
    }

    /** Hands the oldest open read on the queue back to it, to be given out again after {@code delayMs}; false if there is none. */
    public boolean abortOldestAfter(String queue, long delayMs) {
        Delivery d = poll(queue);
        if (d == null) {
            return false;
        }
        d.queue().releaseAfter(d, delayMs);
        return true;
    }

    /**
     * Gives every open read on the queue a lease of {@code leaseMs} from now, whatever its queue's
     * open-timeout (0: no lease, it stays open until the connection settles it or ends); false if
     * there is none.
     */
    public boolean touch(String queue, long leaseMs) {
        ArrayDeque<Open> open = byQueue.get(queue);
        if (open == null) {
            return false;
        }
        ArrayDeque<Open> leased = new ArrayDeque<>(open.size());
        for (Open o : open) {
            cancelTimer(o);
            Delivery d = o.delivery();
            leased.add(new Open(d, leaseMs > 0 ? timers.schedule(leaseMs, () -> timedOut(d)) : -1));
        }
        byQueue.put(queue, leased);
        return true;
    }

    /** Confirms the {@code n} oldest open reads on the queue, or nothing if fewer are open. */
    public boolean confirm(String queue, int n) {
        if (count(queue) < n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            confirmOldest(queue);
        }
        return true;
    }

    /** The connection is gone: every open read goes back to the head of its queue, in order. */
    public void rollBackAll() {
        for (String queue : queueOrder) {
            for (Open o : byQueue.get(queue)) {
                cancelTimer(o);
                o.delivery().queue().release(o.delivery(), true);
            }
        }
        byQueue.clear();
        queueOrder.clear();
    }

    private void timedOut(Delivery d) {
        ArrayDeque<Open> open = byQueue.get(d.queue().name());
        if (open == null) {
            return;
        }
        for (Iterator<Open> it = open.iterator(); it.hasNext(); ) {
            if (it.next().delivery() == d) {
                it.remove();
                forgetIfEmpty(d.queue().name(), open);
                d.queue().release(d, true);
                return;
            }
        }
    }

    private Delivery poll(String queue) {
        ArrayDeque<Open> open = byQueue.get(queue);
        if (open == null) {
            return null;
        }
        Open o = open.pollFirst();
        forgetIfEmpty(queue, open);
        cancelTimer(o);
        return o.delivery();
    }

    private void forgetIfEmpty(String queue, ArrayDeque<Open> open) {
        if (open.isEmpty()) {
            byQueue.remove(queue);
            queueOrder.remove(queue);
        }
    }

    private void cancelTimer(Open o) {
        if (o.timerId() >= 0) {
            timers.cancel(o.timerId());
        }
    }
}
