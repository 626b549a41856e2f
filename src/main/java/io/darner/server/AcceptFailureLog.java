package io.darner.server;

import org.jboss.logging.Logger;

import java.io.IOException;
import java.util.logging.Filter;
import java.util.logging.LogRecord;

/**
 * Logs running out of file descriptors once per episode instead of once per failed accept.
 *
 * <p>When {@code accept()} fails with EMFILE, Netty pauses accepting for a second and logs the
 * exception, with its stack trace, through {@code io.netty.channel.DefaultChannelPipeline} (the
 * exception reaches the end of the listening channel's pipeline): one warning a second for as long
 * as descriptors are short. This filter, set on that logger, drops those records; the first of an
 * episode is logged instead as one line saying what happens and what to do, and the first connection
 * accepted afterwards ends the episode with one line saying how long it lasted. Other records of
 * that logger pass through to the filter that was there before, if any.
 */
final class AcceptFailureLog implements Filter {
    static final String NETTY_LOGGER = "io.netty.channel.DefaultChannelPipeline";
    private static final Logger LOG = Logger.getLogger(AcceptFailureLog.class);
    /** Descriptors that must be free for an episode to end. */
    private static final long FREE_TO_END_EPISODE = 8;

    /** Held, so the configured logger is not collected with its filter. */
    private static java.util.logging.Logger netty;
    private static AcceptFailureLog installed;

    private final Filter previous;
    private volatile boolean failing;
    private long failures;
    private long sinceMs;

    private AcceptFailureLog(Filter previous) {
        this.previous = previous;
    }

    /** Sets the filter on Netty's pipeline logger (once); returns it. */
    static synchronized AcceptFailureLog install() {
        if (installed == null) {
            netty = java.util.logging.Logger.getLogger(NETTY_LOGGER);
            installed = new AcceptFailureLog(netty.getFilter());
            netty.setFilter(installed);
        }
        return installed;
    }

    @Override
    public boolean isLoggable(LogRecord record) {
        if (isOutOfDescriptors(record.getThrown())) {
            try {
                failed();
            } catch (RuntimeException | Error e) {
                // a filter must not throw: Netty would log that too, and there are no descriptors to spare
            }
            return false;
        }
        return previous == null || previous.isLoggable(record);
    }

    static boolean isOutOfDescriptors(Throwable t) {
        for (; t != null; t = t.getCause()) {
            if (t instanceof IOException && t.getMessage() != null && t.getMessage().contains("Too many open files")) {
                return true;
            }
        }
        return false;
    }

    /** An accept failed for want of descriptors. */
    void failed() {
        boolean first;
        synchronized (this) {
            first = !failing;
            if (first) {
                failing = true;
                failures = 0;
                sinceMs = System.currentTimeMillis();
            }
            failures++;
        }
        if (first) {
            LOG.errorf("cannot accept connections: too many open files (%s). New connections wait or are refused "
                    + "until connections close; the open ones are served. Raise the limit (ulimit -n, LimitNOFILE) or "
                    + "lower darner.max-connections. Logged once until accepting works again",
                    FileDescriptors.describe());
        }
    }

    /**
     * A connection was accepted: ends an episode of failures, if there was one, once descriptors
     * are free again (an accept that took the one descriptor a closing connection gave back, with
     * the next accept failing again, does not end it). Cheap outside an episode.
     */
    void accepted() {
        if (!failing || !descriptorsFree()) {
            return;
        }
        long n;
        long seconds;
        synchronized (this) {
            if (!failing) {
                return;
            }
            failing = false;
            n = failures;
            seconds = (System.currentTimeMillis() - sinceMs) / 1000;
        }
        LOG.infof("accepting connections again, after %d failed attempts over %d s (%s)", n, seconds,
                FileDescriptors.describe());
    }

    /** More than a few descriptors free (or a platform that cannot tell). */
    private static boolean descriptorsFree() {
        long max = FileDescriptors.max();
        if (max <= 0) {
            return true;
        }
        long open = FileDescriptors.open(); // -1: not even one to spare for counting
        return open >= 0 && max - open > FREE_TO_END_EPISODE;
    }

    boolean isFailing() {
        return failing;
    }
}
