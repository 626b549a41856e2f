package io.darner.queue;

import io.darner.storage.ItemRecord;

import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A redrive: dead letters back to where they failed. Items leave the head of one queue, in order,
 * each for the tail of its origin (the queue it was dead-lettered from) or of a queue named for all
 * of them, with its delivery count reset and no origin any more.
 *
 * <p>Each item is taken from the source, then moved with the source's lock released, so that a
 * redrive locks one queue at a time: a dead-letter move locks the origin and then the dead-letter
 * queue, and a redrive holding them the other way round could deadlock with it.
 */
final class Redrive {
    private final Queue source;
    /** The queue of a name, created if new, never one already deleted. */
    private final Function<String, Queue> liveQueue;
    private final Predicate<String> isAlias;

    Redrive(Queue source, Function<String, Queue> liveQueue, Predicate<String> isAlias) {
        this.source = source;
        this.liveQueue = liveQueue;
        this.isAlias = isAlias;
    }

    /**
     * Moves up to {@code limit} items; stops early at an item with nowhere to go (no origin and no
     * {@code to}, or an origin that is this queue or an alias) or that its destination refuses
     * (full, damaged): that item stays at the head. Returns how many moved.
     */
    long run(long limit, String to) {
        long moved = 0;
        while (moved < limit) {
            Delivery d = source.takeToMove();
            if (d == null) {
                break;
            }
            String destination = to != null ? to : d.record().origin();
            if (destination == null || destination.equals(source.name()) || isAlias.test(destination)
                    || !moveTo(destination, d)) {
                source.putBack(d);
                break;
            }
            source.movedAway(d);
            moved++;
        }
        return moved;
    }

    private boolean moveTo(String destination, Delivery d) {
        ItemRecord record = d.record().withDeliveries(0).withOrigin(null);
        try {
            while (true) {
                Queue target = liveQueue.apply(destination);
                if (target.acceptMoved(d.qid(), d.seq(), record)) {
                    return true;
                }
                if (!target.isDeleted()) {
                    return false; // full or damaged
                }
            }
        } catch (RuntimeException e) { // a store failure, too many queues: the item is still at the source
            source.putBack(d);
            throw e;
        }
    }
}
