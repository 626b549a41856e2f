package io.darner.loadgen;

import java.util.HashMap;
import java.util.Map;

/**
 * The check for a queue, for one getting connection. Besides the run-wide {@link Ledger}, it checks
 * FIFO order as far as one connection can observe it: each producer's sets are acknowledged one
 * after another, so they sit in the queue in sequence order, and one connection's gets take items
 * from ever later positions. The sequence numbers it sees from any one producer must therefore rise.
 */
final class QueueCheck implements DeliveryCheck {
    private final Ledger ledger;
    /** Last sequence number seen per producer; at most one entry per get made, so it stays small. */
    private final Map<Integer, Integer> lastSeqByProducer = new HashMap<>();

    QueueCheck(Ledger ledger) {
        this.ledger = ledger;
    }

    @Override
    public String verify(ItemId item) {
        String problem = ledger.deliver(item);
        if (problem != null || item.run() != ledger.run()) {
            return problem;
        }
        Integer last = lastSeqByProducer.put(item.producer(), item.seq());
        if (last != null && last >= item.seq()) {
            return "item " + item + " came after seq " + Integer.toHexString(last) + " of the same producer: not FIFO";
        }
        return null;
    }
}
