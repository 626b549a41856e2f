package io.darner.loadgen;

import java.net.InetSocketAddress;

/** What every connection of a run shares. The ledger is null for a cache target. */
record RunContext(Options options, InetSocketAddress address, int run, Payload payload, Ledger ledger, ErrorLog errors) {

    DeliveryCheck newCheck() {
        return ledger == null ? DeliveryCheck.CACHE : new QueueCheck(ledger);
    }
}
