package io.darner.queue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The open (unconfirmed) reads of one client connection, per queue, oldest first. Not thread-safe:
 * one connection uses it from its own thread.
 */
public final class OpenReads {
    private final int maxPerQueue;
    /** Insertion-ordered per queue; queues in the order they were first opened. */
    private final Map<String, ArrayDeque<Delivery>> byQueue = new HashMap<>();
    private final List<String> queueOrder = new ArrayList<>();

    public OpenReads(int maxPerQueue) {
        this.maxPerQueue = maxPerQueue;
    }

    public int count(String queue) {
        ArrayDeque<Delivery> open = byQueue.get(queue);
        return open == null ? 0 : open.size();
    }

    /** Whether one more read may be opened on the queue. */
    public boolean canOpen(String queue) {
        return count(queue) < maxPerQueue;
    }

    public void add(Delivery d) {
        byQueue.computeIfAbsent(d.queue().name(), q -> {
            queueOrder.add(q);
            return new ArrayDeque<>();
        }).add(d.withoutData());
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
            ArrayDeque<Delivery> open = byQueue.get(queue);
            for (Delivery d : open) {
                d.queue().release(d, true);
            }
            open.clear();
        }
        byQueue.clear();
        queueOrder.clear();
    }

    private Delivery poll(String queue) {
        ArrayDeque<Delivery> open = byQueue.get(queue);
        if (open == null) {
            return null;
        }
        Delivery d = open.pollFirst();
        if (open.isEmpty()) {
            byQueue.remove(queue);
            queueOrder.remove(queue);
        }
        return d;
    }
}
