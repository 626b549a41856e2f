package io.darner.server;

import io.netty.handler.ssl.NotSslRecordException;
import org.jboss.logging.Logger;

import javax.net.ssl.SSLException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Logs failed TLS handshakes on the queue port once per client address per period, saying how
 * many more there were from it meanwhile: a client retrying with the wrong certificate, or a
 * plaintext client reconnecting in a loop, must not fill the log. A peer that hangs up before it
 * says anything (a TCP health check, a port scan) is logged at DEBUG only.
 */
final class HandshakeFailureLog {
    private static final Logger LOG = Logger.getLogger(HandshakeFailureLog.class);
    /** Addresses remembered at most; past it, failures from new addresses are counted, not logged, until old ones expire. */
    static final int MAX_ADDRESSES = 10_000;

    private final long periodMs;
    private final LongSupplier clockMs;
    private final Map<String, Window> windows = new HashMap<>();
    private long unlogged;

    /** An address's current period: when it ends and the failures left out of the log so far. */
    private static final class Window {
        long endsAtMs;
        long suppressed;
    }

    HandshakeFailureLog(long periodMs, LongSupplier clockMs) {
        this.periodMs = periodMs;
        this.clockMs = clockMs;
    }

    /** A handshake with {@code address} failed; logs it unless that address was logged within the period. */
    void failed(String address, Throwable cause) {
        String line = admit(address, reason(cause));
        if (line == null) {
            return;
        }
        if (isHangUp(cause)) {
            LOG.debug(line);
        } else {
            LOG.warn(line);
        }
    }

    /** The line to log now, or null if this failure is left out. */
    synchronized String admit(String address, String reason) {
        long now = clockMs.getAsLong();
        Window w = windows.get(address);
        if (w != null && now < w.endsAtMs) {
            w.suppressed++;
            return null;
        }
        if (w == null) {
            if (windows.size() >= MAX_ADDRESSES && !forgetExpired(now)) {
                unlogged++;
                return null;
            }
            w = new Window();
            windows.put(address, w);
        }
        String line = "TLS handshake with " + address + " failed: " + reason;
        if (w.suppressed > 0) {
            line += " (" + w.suppressed + " more failed from that address since it was last logged)";
        }
        if (unlogged > 0) {
            line += " (" + unlogged + " failures from other addresses not logged: too many addresses at once)";
            unlogged = 0;
        }
        w.suppressed = 0;
        w.endsAtMs = now + periodMs;
        return line;
    }

    /** Drops the addresses whose period is over; true if that made room. */
    private boolean forgetExpired(long now) {
        for (Iterator<Window> it = windows.values().iterator(); it.hasNext(); ) {
            Window w = it.next();
            if (now >= w.endsAtMs) {
                it.remove();
            }
        }
        return windows.size() < MAX_ADDRESSES;
    }

    synchronized int addressesRemembered() {
        return windows.size();
    }

    /** What went wrong, in words that point at the cause. */
    static String reason(Throwable cause) {
        Throwable root = cause;
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof NotSslRecordException) {
                return "the client does not speak TLS (a plaintext client? This port serves TLS only)";
            }
            if (t instanceof SSLException) {
                root = t;
            }
        }
        String message = root.getMessage();
        return message == null ? root.getClass().getSimpleName() : firstLine(message);
    }

    /** The peer closed the connection before the handshake was done, without an alert. */
    static boolean isHangUp(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof java.nio.channels.ClosedChannelException
                    || (t.getMessage() != null && t.getMessage().contains("closed while SSL/TLS handshake"))) {
                return true;
            }
        }
        return false;
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
