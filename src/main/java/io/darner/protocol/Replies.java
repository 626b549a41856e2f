package io.darner.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Byte-exact encodings of every reply of the protocol. Every line ends in {@code \r\n}. */
public final class Replies {
    public static final byte[] CRLF = bytes("\r\n");
    public static final byte[] STORED = bytes("STORED\r\n");
    public static final byte[] NOT_STORED = bytes("NOT_STORED\r\n");
    public static final byte[] END = bytes("END\r\n");
    public static final byte[] DELETED = bytes("DELETED\r\n");
    public static final byte[] ERROR = bytes("ERROR\r\n");
    public static final byte[] FLUSHED_ALL = bytes("Flushed all queues.\r\n");
    public static final byte[] TOO_MANY_CONNECTIONS = bytes("SERVER_ERROR too many connections\r\n");

    private Replies() {}

    /** {@code VALUE <q> <flags> <n>\r\n}: the data and a CRLF follow. */
    public static byte[] valueHeader(String queue, long flags, int length) {
        return bytes("VALUE " + queue + " " + flags + " " + length + "\r\n");
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

    /** {@code STAT <name> <value>} lines in the map's order, then {@code END}. */
    public static byte[] stats(Map<String, String> stats) {
        StringBuilder b = new StringBuilder(64 * stats.size() + 8);
        stats.forEach((k, v) -> b.append("STAT ").append(k).append(' ').append(v).append("\r\n"));
        return bytes(b.append("END\r\n").toString());
    }

    /** One queue of {@code dump_stats}: {@code queue '<q>' {}, its fields, {@code }}; END is separate. */
    public static byte[] dumpStatsQueue(String queue, Map<String, String> fields) {
        StringBuilder b = new StringBuilder("queue '").append(queue).append("' {\r\n");
        fields.forEach((k, v) -> b.append("  ").append(k).append('=').append(v).append("\r\n"));
        return bytes(b.append("}\r\n").toString());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
