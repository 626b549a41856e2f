package io.darner.loadgen;

import java.util.HashMap;
import java.util.Map;

/**
 * The check for a queue, for one getting connection. Besides the run-wide {@link Ledger}, it checks
 * FIFO order as far as one connection can observe it: each producer's sets to a queue are
 * acknowledged one after another, so they sit in that queue in sequence order, and one connection's
 * gets take items from ever later positions of it. The sequence numbers it sees from any one
 * producer in any one queue must therefore rise. (Across queues they need not: a connection cycling
 * over several queues takes from each at its own pace.)
 */
final class QueueCheck implements DeliveryCheck {
    private final Ledger ledger;
    /** Last sequence number seen per (queue slot, producer); at most one entry per get made. */
    private final Map<Long, Integer> lastSeq = new HashMap<>();

    QueueCheck(Ledger ledger) {
        this.ledger = ledger;
    }

    @Override
    public String verify(int slot, ItemId item) {
        String problem = ledger.deliver(item);
        if (problem != null || item.run() != ledger.run()) {
            return problem;
        }
        Integer last = lastSeq.put((long) slot << 32 | item.producer(), item.seq());
        if (last != null && last >= item.seq()) {
            return "item " + item + " came after seq " + Integer.toHexString(last) + " of the same producer: not FIFO";
        }
        return null;
    }
}
