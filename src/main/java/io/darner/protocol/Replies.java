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
        return line("CLIENT_ERROR " + reason);
    }

    public static byte[] serverError(String reason) {
        return line("SERVER_ERROR " + reason);
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
