package io.darner.server;

import org.jboss.logging.Logger;

/**
 * Logs a condition that may recur at every request (a store that cannot write, a damaged queue)
 * at most once per period, saying how many were left out meanwhile: a full disk must not also
 * fill the log.
 */
final class ThrottledLog {
    private final Logger log;
    private final long periodMs;
    private long nextAtMs;
    private long suppressed;

    ThrottledLog(Logger log, long periodMs) {
        this.log = log;
        this.periodMs = periodMs;
    }

    void warn(String message) {
        String line;
        synchronized (this) {
            long now = System.currentTimeMillis();
            if (now < nextAtMs) {
                suppressed++;
                return;
            }
            line = suppressed == 0 ? message
                    : message + " (" + suppressed + " more left out of the log in the last " + periodMs / 1000 + " s)";
            suppressed = 0;
            nextAtMs = now + periodMs;
        }
        log.warn(line);
    }
}
