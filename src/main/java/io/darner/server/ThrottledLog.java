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
        String line = admit(message);
        if (line != null) {
            log.warn(line);
        }
    }

    /** Logs at ERROR with the stack trace, as rarely as {@link #warn}. */
    void error(String message, Throwable e) {
        String line = admit(message);
        if (line != null) {
            log.error(line, e);
        }
    }

    /** The line to log now, or null if this one is left out. */
    private String admit(String message) {
        String line;
        synchronized (this) {
            long now = System.currentTimeMillis();
            if (now < nextAtMs) {
                suppressed++;
                return null;
            }
            line = suppressed == 0 ? message
                    : message + " (" + suppressed + " more left out of the log in the last " + periodMs / 1000 + " s)";
            suppressed = 0;
            nextAtMs = now + periodMs;
        }
        return line;
    }
}
