package io.darner.loadgen;

import javax.net.ssl.SSLContext;
import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;

/**
 * What every connection of a run shares. The ledger is null for a cache target, {@code tls} for
 * plaintext. {@code producing} counts the producers of split mode that have not finished (or failed) yet.
 */
record RunContext(Options options, InetSocketAddress address, int run, Payload payload, Ledger ledger, ErrorLog errors,
        CountDownLatch producing, Deadline deadline, SSLContext tls) {

    DeliveryCheck newCheck() {
        return ledger == null ? DeliveryCheck.CACHE : new QueueCheck(ledger);
    }

    boolean producersDone() {
        return producing.getCount() == 0;
    }
}
