package io.darner.protocol;

import java.nio.charset.StandardCharsets;

/** Byte-exact encodings of every reply of the protocol. Every line ends in {@code \r\n}. */
public final class Replies {
    public static final byte[] CRLF = bytes("\r\n");
    public static final byte[] STORED = bytes("STORED\r\n");
    public static final byte[] NOT_STORED = bytes("NOT_STORED\r\n");
    public static final byte[] END = bytes("END\r\n");
    public static final byte[] DELETED = bytes("DELETED\r\n");
    public static final byte[] ERROR = bytes("ERROR\r\n");
    public static final byte[] TOUCHED = bytes("TOUCHED\r\n");
    public static final byte[] NOT_FOUND = bytes("NOT_FOUND\r\n");
    public static final byte[] FLUSHED_ALL = bytes("Flushed all queues.\r\n");
    /** Closes one queue of {@code dump_stats}; the whole reply ends with {@link #END}. */
    public static final byte[] DUMP_STATS_QUEUE_END = bytes("}\r\n");
    public static final byte[] TOO_MANY_CONNECTIONS = bytes("SERVER_ERROR too many connections\r\n");
    private static final byte[] VALUE = bytes("VALUE ");

    private Replies() {}

    /** {@code VALUE <q> <flags> <n>\r\n}: the data and a CRLF follow. */
    public static byte[] valueHeader(String queue, long flags, int length) {
        byte[] b = new byte[valueHeaderLength(queue, flags, length)];
        writeValueHeader(queue, flags, length, b);
        return b;
    }

    /** The length of {@link #valueHeader}'s reply. */
    public static int valueHeaderLength(String queue, long flags, int length) {
        return VALUE.length + queue.length() + 1 + digits(flags) + 1 + digits(length) + 2;
    }

    /**
     * Writes {@link #valueHeader}'s reply at the start of {@code into} (at least
     * {@link #valueHeaderLength} long), for a connection that writes every item's header into
     * one array of its own; returns its length.
     */
    public static int writeValueHeader(String queue, long flags, int length, byte[] into) {
        System.arraycopy(VALUE, 0, into, 0, VALUE.length);
        int at = VALUE.length;
        int n = queue.length();
        for (int i = 0; i < n; i++) {
            into[at++] = (byte) queue.charAt(i); // queue names are ASCII (spec section 2)
        }
        into[at++] = ' ';
        at = putDecimal(into, at, flags);
        into[at++] = ' ';
        at = putDecimal(into, at, length);
        into[at++] = '\r';
        into[at++] = '\n';
        return at;
    }

    /** Decimal digits of a non-negative number. */
    private static int digits(long v) {
        int d = 1;
        for (long x = v; x >= 10; x /= 10) {
            d++;
        }
        return d;
    }

    /** Writes a non-negative number in decimal at {@code at}; returns the position after it. */
    private static int putDecimal(byte[] b, int at, long v) {
        int end = at + digits(v);
        long x = v;
        for (int i = end - 1; i >= at; i--) {
            b[i] = (byte) ('0' + x % 10);
            x /= 10;
        }
        return end;
    }

    /** An error line, as a {@link ProtocolError} holds it. */
    public static byte[] line(String text) {
        return bytes(text + "\r\n");
    }

    public static byte[] clientError(String reason) {
        return line("CLIENT_ERROR " + printable(reason));
    }

    /**
     * {@code SERVER_ERROR <reason>}. The reason often comes from the store or the JVM, so it is made
     * one line of printable ASCII, at most {@value #MAX_REASON} characters: a CR or LF in it would
     * end the reply early and the client would read the rest as the next reply.
     */
    public static byte[] serverError(String reason) {
        return line("SERVER_ERROR " + printable(reason));
    }

    static final int MAX_REASON = 200;

    /** The reason as one bounded line of printable ASCII; other characters become '?'. */
    static String printable(String reason) {
        String r = reason == null || reason.isBlank() ? "unknown error" : reason;
        StringBuilder b = new StringBuilder(Math.min(r.length(), MAX_REASON));
        for (int i = 0; i < r.length() && b.length() < MAX_REASON; i++) {
            char c = r.charAt(i);
            b.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return b.toString();
    }

    public static byte[] number(long n) {
        return line(Long.toString(n));
    }

    public static byte[] version(String version) {
        return line("VERSION " + version);
    }

    /** One {@code STAT <name> <value>} line; the stats reply ends with {@link #END}. */
    public static byte[] stat(String name, String value) {
        return bytes("STAT " + name + " " + value + "\r\n");
    }

    /** Opens one queue of {@code dump_stats}: {@code queue '<q>' {}. */
    public static byte[] dumpStatsQueueStart(String queue) {
        return bytes("queue '" + queue + "' {\r\n");
    }

    /** One field of a queue in {@code dump_stats}: two spaces, {@code <field>=<value>}. */
    public static byte[] dumpStatsField(String field, String value) {
        return bytes("  " + field + "=" + value + "\r\n");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
