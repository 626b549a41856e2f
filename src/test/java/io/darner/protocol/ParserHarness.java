package io.darner.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Feeds bytes to a {@link RequestParser} in pieces and records what it hands out in a form that
 * can be compared with {@code equals}: consecutive {@link DataChunk}s are joined into one
 * {@link Data}, everything else is kept as is. While draining it checks the parser's invariants:
 * no empty chunk, and nothing at all after an error with {@code close=true}.
 *
 * <p>Also holds the factories for expected events, so tests read as request/reply tables.
 */
final class ParserHarness {
    static final int MAX_LINE = 2048;
    static final int MAX_ITEM = 1 << 20;

    /** Pairs of split points are tried only for inputs up to this length (cost grows as n squared). */
    static final int PAIR_SPLIT_LIMIT = 64;

    /** The contents of the consecutive {@link DataChunk}s of one set, as ISO-8859-1 text. */
    record Data(String text) {}

    private final RequestParser parser;
    /** The events so far; data is gathered in a StringBuilder, so byte-by-byte feeding stays linear. */
    private final List<Object> events = new ArrayList<>();
    private boolean closed;

    ParserHarness(int maxLine, int maxItem) {
        this.parser = new RequestParser(maxLine, maxItem);
    }

    RequestParser parser() {
        return parser;
    }

    List<Object> events() {
        return events.stream().map(e -> e instanceof StringBuilder b ? new Data(b.toString()) : e).toList();
    }

    /** Feeds {@code input[from, to)} and takes every event the parser has. */
    ParserHarness feed(byte[] input, int from, int to) {
        parser.feed(input, from, to - from);
        drain();
        return this;
    }

    ParserHarness feed(String input) {
        byte[] b = bytes(input);
        return feed(b, 0, b.length);
    }

    private void drain() {
        for (ParseEvent next = parser.next(); next != null; next = parser.next()) {
            ParseEvent e = next;
            assertFalse(closed, () -> "event after a closing error: " + e);
            if (e instanceof DataChunk chunk) {
                assertTrue(chunk.length() > 0, "empty data chunk");
                addData(new String(chunk.buf(), chunk.offset(), chunk.length(), StandardCharsets.ISO_8859_1));
            } else {
                events.add(e);
            }
            if (e instanceof ProtocolError error && error.close()) {
                closed = true;
                assertTrue(parser.isClosed(), "parser not closed after a closing error");
                assertEquals(0, parser.buffered(), "parser still holds bytes after a closing error");
            }
        }
    }

    private void addData(String text) {
        int last = events.size() - 1;
        if (last >= 0 && events.get(last) instanceof StringBuilder b) {
            b.append(text);
        } else {
            events.add(new StringBuilder(text));
        }
    }

    // ---- feeding strategies ----

    /** The events for {@code input} fed in pieces cut at the given ascending offsets. */
    static List<Object> parseCut(byte[] input, int maxLine, int maxItem, int... cuts) {
        ParserHarness h = new ParserHarness(maxLine, maxItem);
        int from = 0;
        for (int cut : cuts) {
            h.feed(input, from, cut);
            from = cut;
        }
        return h.feed(input, from, input.length).events();
    }

    /** The events for {@code input} fed in pieces of {@code size} bytes. */
    static List<Object> parseInPieces(byte[] input, int maxLine, int maxItem, int size) {
        ParserHarness h = new ParserHarness(maxLine, maxItem);
        for (int from = 0; from < input.length; from += size) {
            h.feed(input, from, Math.min(input.length, from + size));
        }
        return h.events();
    }

    /**
     * Checks that {@code input} gives exactly {@code expected} whether it arrives in one feed, byte
     * by byte, split at every single point, and (for short inputs) split at every pair of points.
     */
    static void assertParsesWith(int maxLine, int maxItem, String input, Object... expected) {
        byte[] in = bytes(input);
        List<Object> want = Arrays.asList(expected);
        String shown = visible(input);
        assertEquals(want, parseCut(in, maxLine, maxItem), () -> "in one feed: " + shown);
        assertEquals(want, parseInPieces(in, maxLine, maxItem, 1), () -> "byte by byte: " + shown);
        for (int i = 0; i <= in.length; i++) {
            int cut = i;
            assertEquals(want, parseCut(in, maxLine, maxItem, cut), () -> "split at " + cut + ": " + shown);
        }
        if (in.length <= PAIR_SPLIT_LIMIT) {
            for (int i = 1; i < in.length; i++) {
                for (int j = i + 1; j < in.length; j++) {
                    int a = i;
                    int b = j;
                    assertEquals(want, parseCut(in, maxLine, maxItem, a, b),
                            () -> "split at " + a + " and " + b + ": " + shown);
                }
            }
        }
    }

    static void assertParses(String input, Object... expected) {
        assertParsesWith(MAX_LINE, MAX_ITEM, input, expected);
    }

    // ---- expected events ----

    static Request.Set set(String queue, long flags, long exptime, int bytes) {
        return new Request.Set(queue, false, flags, exptime, bytes, false);
    }

    static Data data(String text) {
        return new Data(text);
    }

    static final DataEnd DATA_END = DataEnd.INSTANCE;

    /** A get of several plain keys (or one). */
    static Request.Get get(String... queues) {
        return new Request.Get(Arrays.stream(queues).map(GetKey::plain).toList());
    }

    /**
     * A get of one key with options, {@code requested} as the client wrote it ({@code q/t=5/open}):
     * {@code timeoutMs} -1 for none, options among open/close/abort/peek.
     */
    static Request.Get get(String requested, long timeoutMs, String... options) {
        List<String> o = List.of(options);
        String queue = requested.split("/", -1)[0];
        return new Request.Get(List.of(new GetKey(queue, requested, timeoutMs,
                o.contains("open"), o.contains("close"), o.contains("abort"), o.contains("peek"))));
    }

    static ProtocolError clientError(String reason, boolean close) {
        return ProtocolError.client(reason, close);
    }

    static final ProtocolError TOO_LARGE = ProtocolError.server("object too large for cache", true);
    static final ProtocolError LINE_TOO_LONG = ProtocolError.client("line too long", true);
    static final ProtocolError BAD_DATA_CHUNK = ProtocolError.client("bad data chunk", true);

    // ---- bytes ----

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static String repeat(char c, int n) {
        return String.valueOf(c).repeat(n);
    }

    /** The input with CR and LF shown, for failure messages. */
    static String visible(String s) {
        String shown = s.replace("\r", "\\r").replace("\n", "\\n");
        return shown.length() > 120 ? shown.substring(0, 120) + "...(" + s.length() + " chars)" : shown;
    }
}
