package io.darner.protocol;

import static io.darner.protocol.ParserHarness.DATA_END;
import static io.darner.protocol.ParserHarness.MAX_ITEM;
import static io.darner.protocol.ParserHarness.MAX_LINE;
import static io.darner.protocol.ParserHarness.assertParses;
import static io.darner.protocol.ParserHarness.bytes;
import static io.darner.protocol.ParserHarness.data;
import static io.darner.protocol.ParserHarness.get;
import static io.darner.protocol.ParserHarness.parseCut;
import static io.darner.protocol.ParserHarness.parseInPieces;
import static io.darner.protocol.ParserHarness.set;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.darner.protocol.Scenarios.Scenario;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The parser must not care how the bytes are cut into reads, in the way Vert.x tests its
 * RecordParser: every request is fed in one piece, byte by byte, split at every point and (when
 * short) at every pair of points, alone and pipelined with all the others.
 */
class RequestParserSplitTest {

    static Stream<Scenario> requests() {
        return Scenarios.requests().stream();
    }

    static Stream<Scenario> getOptionCombos() {
        return Scenarios.getOptionCombos().stream();
    }

    static Stream<Scenario> refusedButKept() {
        return Scenarios.refusedButKept().stream();
    }

    static Stream<Scenario> closing() {
        return Scenarios.closing().stream();
    }

    @ParameterizedTest
    @MethodSource("requests")
    void requestParsesTheSameAtEverySplit(Scenario s) {
        assertParses(s.input(), s.expected().toArray());
    }

    @ParameterizedTest
    @MethodSource("getOptionCombos")
    void getOptionCombinationParsesTheSameAtEverySplit(Scenario s) {
        assertParses(s.input(), s.expected().toArray());
    }

    @ParameterizedTest
    @MethodSource("refusedButKept")
    void keptRefusalParsesTheSameAtEverySplit(Scenario s) {
        assertParses(s.input(), s.expected().toArray());
    }

    @ParameterizedTest
    @MethodSource("closing")
    void closingErrorParsesTheSameAtEverySplit(Scenario s) {
        assertParses(s.input(), s.expected().toArray());
    }

    /** Everything that keeps the connection, in one stream. */
    private static List<Scenario> keptStream() {
        List<Scenario> all = new ArrayList<>(Scenarios.requests());
        all.addAll(Scenarios.getOptionCombos());
        all.addAll(Scenarios.refusedButKept());
        return all;
    }

    private static Scenario concat(List<Scenario> parts) {
        StringBuilder input = new StringBuilder();
        List<Object> expected = new ArrayList<>();
        for (Scenario s : parts) {
            input.append(s.input());
            expected.addAll(s.expected());
        }
        return new Scenario(input.toString(), expected);
    }

    @Test
    void allRequestsPipelinedGiveTheSameEventsAtEverySplit() {
        Scenario all = concat(keptStream());
        assertParses(all.input(), all.expected().toArray());
    }

    @Test
    void longPipelinedStreamInAssortedPieceSizes() {
        Scenario once = concat(keptStream());
        Scenario all = concat(List.of(once, once, once, once));
        assertTrue(all.input().length() > 2 * 4096, "the stream should outgrow the parser's initial buffer");
        byte[] in = bytes(all.input());
        for (int size : new int[] {1, 2, 3, 7, 100, 1000, 4095, 4096, 4097, 8192, in.length}) {
            assertEquals(all.expected(), parseInPieces(in, MAX_LINE, MAX_ITEM, size), "pieces of " + size);
        }
    }

    @ParameterizedTest
    @MethodSource("closing")
    void closingErrorEndsAPipelinedStream(Scenario closing) {
        List<Scenario> parts = new ArrayList<>(keptStream());
        parts.add(closing);
        parts.add(Scenarios.s("get q\r\n")); // never handed out
        Scenario all = concat(parts);
        byte[] in = bytes(all.input());
        assertEquals(all.expected(), parseCut(in, MAX_LINE, MAX_ITEM), "in one feed");
        assertEquals(all.expected(), parseInPieces(in, MAX_LINE, MAX_ITEM, 1), "byte by byte");
        assertEquals(all.expected(), parseInPieces(in, MAX_LINE, MAX_ITEM, 1000), "pieces of 1000");
    }

    @Test
    void largeItemCrossesTheBufferCapacityIntact() {
        String item = allByteValues(20_000);
        String input = "get a\r\nset q 5 0 20000\r\n" + item + "\r\nget b\r\n";
        Object[] expected = {get("a"), set("q", 5, 0, 20_000), data(item), DATA_END, get("b")};
        byte[] in = bytes(input);
        for (int size : new int[] {1, 3, 4095, 4096, 4097, 9000, in.length}) {
            assertEquals(List.of(expected), parseInPieces(in, MAX_LINE, MAX_ITEM, size), "pieces of " + size);
        }
        for (int cut = 0; cut <= in.length; cut += 997) {
            assertEquals(List.of(expected), parseCut(in, MAX_LINE, MAX_ITEM, cut), "split at " + cut);
        }
    }

    @Test
    void itemOfExactlyTheMaximumSizeIsAccepted() {
        String item = allByteValues(MAX_ITEM);
        byte[] in = bytes("set q 0 0 " + MAX_ITEM + "\r\n" + item + "\r\n");
        assertEquals(List.of(set("q", 0, 0, MAX_ITEM), data(item), DATA_END),
                parseInPieces(in, MAX_LINE, MAX_ITEM, 65_536));
    }

    @Test
    void dataIsHandedOutAsItArrivesNotAsAWholeItem() {
        ParserHarness h = new ParserHarness(MAX_LINE, MAX_ITEM);
        RequestParser p = h.parser();
        h.feed("set q 0 0 10\r\nabc");
        assertEquals(List.of(set("q", 0, 0, 10), data("abc")), h.events());
        assertTrue(p.inData());
        h.feed("defghij\r");
        assertEquals(List.of(set("q", 0, 0, 10), data("abcdefghij")), h.events(), "no DataEnd before the LF");
        assertTrue(p.inData());
        h.feed("\n");
        assertEquals(List.of(set("q", 0, 0, 10), data("abcdefghij"), DATA_END), h.events());
        assertFalse(p.inData());
    }

    @Test
    void eachChunkHoldsWhatArrivedSinceTheLastCall() {
        RequestParser p = new RequestParser(MAX_LINE, MAX_ITEM);
        p.feed(bytes("set q 0 0 6\r\nab"));
        assertEquals(set("q", 0, 0, 6), p.next());
        assertChunk("ab", p.next());
        assertNull(p.next());
        p.feed(bytes("cdef\r\nget q\r\n"));
        assertChunk("cdef", p.next());
        assertEquals(DATA_END, p.next());
        assertEquals(get("q"), p.next());
        assertNull(p.next());
        assertEquals(0, p.buffered());
    }

    @Test
    void feedWithOffsetAndLengthTakesOnlyThatRange() {
        RequestParser p = new RequestParser(MAX_LINE, MAX_ITEM);
        byte[] framed = bytes("XXXget q\r\nYYY");
        p.feed(framed, 3, 7);
        assertEquals(7, p.buffered());
        assertEquals(get("q"), p.next());
        assertNull(p.next());
    }

    @Test
    void incompleteLineIsBufferedNotHandedOut() {
        RequestParser p = new RequestParser(MAX_LINE, MAX_ITEM);
        p.feed(bytes("get q\r"));
        assertNull(p.next());
        assertNull(p.next(), "asking again changes nothing");
        assertEquals(6, p.buffered());
        assertFalse(p.isClosed());
        p.feed(bytes("\n"));
        assertEquals(get("q"), p.next());
    }

    /** A read longer than the buffer, fed in slices of {@code room()} with parsing between, as the server does. */
    @Test
    void slicesOfRoomParseLikeOneFeedWithoutAGrownBuffer() {
        String item = allByteValues(1024);
        String input = "set q 0 0 1024\r\n" + item + "\r\nget q\r\n";
        byte[] in = bytes(input);
        ParserHarness h = new ParserHarness(MAX_LINE, MAX_ITEM);
        RequestParser p = h.parser();
        byte[] first = null;
        for (int from = 0; from < in.length; ) {
            int n = Math.min(in.length - from, p.room());
            assertTrue(n > 0, "no room left at " + from);
            byte[] into = p.reserve(n);
            if (first == null) {
                first = into;
            }
            assertSame(first, into, "the buffer was replaced at " + from);
            h.feed(in, from, from + n);
            from += n;
        }
        assertEquals(List.of(set("q", 0, 0, 1024), data(item), DATA_END, get("q")), h.events());
        assertEquals(parseCut(in, MAX_LINE, MAX_ITEM), h.events());
    }

    private static void assertChunk(String expected, ParseEvent event) {
        DataChunk chunk = (DataChunk) event;
        assertEquals(expected, new String(chunk.buf(), chunk.offset(), chunk.length(),
                java.nio.charset.StandardCharsets.ISO_8859_1));
    }

    /** n bytes cycling through all 256 values, so CR, LF and high bytes all occur in the data. */
    private static String allByteValues(int n) {
        char[] c = new char[n];
        for (int i = 0; i < n; i++) {
            c[i] = (char) (i * 7 & 0xFF);
        }
        return new String(c);
    }
}
