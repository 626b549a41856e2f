package io.darner.protocol;

import static io.darner.protocol.ParserHarness.BAD_DATA_CHUNK;
import static io.darner.protocol.ParserHarness.DATA_END;
import static io.darner.protocol.ParserHarness.LINE_TOO_LONG;
import static io.darner.protocol.ParserHarness.TOO_LARGE;
import static io.darner.protocol.ParserHarness.assertParses;
import static io.darner.protocol.ParserHarness.assertParsesWith;
import static io.darner.protocol.ParserHarness.bytes;
import static io.darner.protocol.ParserHarness.clientError;
import static io.darner.protocol.ParserHarness.data;
import static io.darner.protocol.ParserHarness.get;
import static io.darner.protocol.ParserHarness.repeat;
import static io.darner.protocol.ParserHarness.set;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.darner.protocol.Scenarios.Scenario;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every way a request can be malformed (spec sections 1 to 4), and what the parser does then. */
class RequestParserErrorTest {
    /** Small limits, so the boundaries are easy to reach. */
    private static final int LINE = 32;
    private static final int ITEM = 100;

    private static final String NEXT = "get next\r\n";
    private static final Request.Get NEXT_GET = get("next");

    private static void assertSmall(String input, Object... expected) {
        assertParsesWith(LINE, ITEM, input, expected);
    }

    /** The request is refused with {@code error}; what follows it is never handed out. */
    private static void assertClosesWith(String request, ProtocolError error) {
        assertTrue(error.close());
        assertParses(request + NEXT, error);
    }

    /** The request is refused with the connection kept, and the request after it parses normally. */
    private static void assertKeptWith(String request, ProtocolError error) {
        assertFalse(error.close());
        assertParses(request + NEXT, error, NEXT_GET);
    }

    // ---- line length (spec 1) ----

    @Test
    void lineOfExactlyTheLimitIncludingItsTerminatorIsAccepted() {
        String name = repeat('a', LINE - "get \n".length());
        assertSmall("get " + name + "\n", get(name));
        String shorter = repeat('a', LINE - "get \r\n".length());
        assertSmall("get " + shorter + "\r\n", get(shorter));
    }

    @Test
    void completeLineOneByteOverTheLimitIsRefused() {
        assertSmall("get " + repeat('a', LINE - "get \n".length() + 1) + "\n", LINE_TOO_LONG);
        assertSmall("get " + repeat('a', LINE - "get \r\n".length() + 1) + "\r\n", LINE_TOO_LONG);
    }

    @Test
    void completeLineFarOverTheLimitIsRefusedAfterTheRequestsBeforeIt() {
        assertSmall("get q\r\n" + repeat('x', 200) + "\r\nget r\r\n", get("q"), LINE_TOO_LONG);
    }

    @Test
    void lineWithoutNewlineIsRefusedAsSoonAsItReachesTheLimit() {
        RequestParser p = new RequestParser(LINE, ITEM);
        p.feed(bytes(repeat('x', LINE - 1)));
        assertNull(p.next(), "still room for the newline");
        assertFalse(p.isClosed());
        p.feed(bytes("x"));
        assertEquals(LINE_TOO_LONG, p.next(), "no newline can make this line short enough");
        assertTrue(p.isClosed());
    }

    @Test
    void lineWithoutNewlineIsRefusedEvenWhenItArrivesInOneHugeFeed() {
        assertSmall(repeat('x', 1000), LINE_TOO_LONG);
    }

    @Test
    void dataBlockIsNotSubjectToTheLineLimit() {
        String item = repeat('d', ITEM);
        assertSmall("set q 0 0 " + ITEM + "\r\n" + item + "\r\n" + NEXT, set("q", 0, 0, ITEM), data(item), DATA_END,
                NEXT_GET);
    }

    // ---- item size (spec 1) ----

    @ParameterizedTest
    @ValueSource(strings = {"set q 0 0 %d", "set q 0 0 %d noreply", "add q 0 0 %d", "replace q 0 0 %d",
            "append q 0 0 %d", "prepend q 0 0 %d", "cas q 0 0 %d 7"})
    void lengthOverTheMaximumIsRefusedBeforeAnyDataIsRead(String format) {
        RequestParser p = new RequestParser(LINE, ITEM);
        p.feed(bytes(String.format(format, ITEM + 1) + "\r\n"));
        assertEquals(TOO_LARGE, p.next(), "refused without waiting for the data");
        assertTrue(p.isClosed());
        assertFalse(p.inData());
        p.feed(bytes(repeat('d', ITEM + 1) + "\r\n" + NEXT));
        assertNull(p.next());
    }

    @Test
    void lengthOverTheMaximumIsRefusedWhateverElseIsWrongWithTheLine() {
        assertSmall("set bad! x y 101\r\n", TOO_LARGE);
    }

    @Test
    void lengthBeyondAnIntIsStillTooLarge() {
        assertSmall("set q 0 0 " + (1L << 32) + "\r\n", TOO_LARGE);
        assertSmall("set q 0 0 " + repeat('9', 18) + "\r\n", TOO_LARGE);
    }

    @Test
    void lengthOfExactlyTheMaximumWaitsForItsData() {
        RequestParser p = new RequestParser(LINE, ITEM);
        p.feed(bytes("set q 0 0 " + ITEM + "\r\n"));
        assertEquals(set("q", 0, 0, ITEM), p.next());
        assertNull(p.next());
        assertTrue(p.inData());
    }

    // ---- the length and the data block (spec 1) ----

    @ParameterizedTest
    @ValueSource(strings = {"abc", "-1", "1.5", "0x10", "1e3", "+5", "5k"})
    void nonNumericLengthClosesTheConnection(String length) {
        assertClosesWith("set q 0 0 " + length + "\r\nhello\r\n", clientError("bad data chunk length", true));
        assertClosesWith("add q 0 0 " + length + "\r\nhello\r\n", clientError("bad data chunk length", true));
    }

    @ParameterizedTest
    @ValueSource(strings = {"XY", "\n\r", "\r\r", "\rX", "X\n", "\nget q\r\n", "d\r\n"})
    void badDataTerminatorClosesTheConnection(String afterData) {
        assertParses("set q 0 0 3\r\nabc" + afterData + NEXT, set("q", 0, 0, 3), data("abc"), BAD_DATA_CHUNK);
    }

    @Test
    void badTerminatorIsSeenOnItsFirstByte() {
        RequestParser p = new RequestParser(LINE, ITEM);
        p.feed(bytes("set q 0 0 1\r\nab"));
        assertEquals(set("q", 0, 0, 1), p.next());
        assertTrue(p.next() instanceof DataChunk);
        assertEquals(BAD_DATA_CHUNK, p.next(), "'b' cannot start a CRLF");
    }

    @Test
    void badTerminatorAfterRefusedDataClosesTheConnection() {
        assertParses("set bad! 0 0 3\r\nabcXY" + NEXT, BAD_DATA_CHUNK);
        assertParses("prepend q 0 0 3\r\nabcd\r\n" + NEXT, BAD_DATA_CHUNK);
    }

    @ParameterizedTest
    @ValueSource(strings = {"set q 0 0", "set q 0", "set q", "set", "set q 0 0 2 noreply x", "add q 0 0",
            "cas q 0 0 2", "cas q 0 0 2 1 noreply x"})
    void storageCommandWithoutAUsableLengthClosesTheConnection(String line) {
        assertClosesWith(line + "\r\nhi\r\n", clientError("bad command line format", true));
    }

    // ---- refused sets: data consumed, connection kept (spec 3) ----

    static Stream<Scenario> refusedButKept() {
        return Scenarios.refusedButKept().stream();
    }

    @ParameterizedTest
    @MethodSource("refusedButKept")
    void requestAfterAKeptRefusalParsesNormally(Scenario refused) {
        List<Object> expected = new ArrayList<>(refused.expected());
        expected.add(NEXT_GET);
        assertParses(refused.input() + NEXT, expected.toArray());
    }

    @ParameterizedTest
    @ValueSource(strings = {"set q\t 0 0 6", "set q/sync/x 0 0 6", "set q 1x 0 6", "set q 0 1- 6",
            "set q+ 0 0 6", "append q 0 0 6"})
    void refusedSetSkipsItsDataEvenWhenTheDataLooksLikeCommands(String line) {
        ParserHarness h = new ParserHarness(LINE, ITEM).feed(line + "\r\nquit\r");
        assertEquals(List.of(), h.events(), "waits for the rest of the data and its CRLF");
        assertTrue(h.parser().inData());
        h.feed("\n\r\n" + NEXT);
        assertEquals(2, h.events().size());
        ProtocolError refusal = (ProtocolError) h.events().get(0);
        assertTrue(refusal.reply().startsWith("CLIENT_ERROR "), refusal.reply());
        assertFalse(refusal.close());
        assertEquals(NEXT_GET, h.events().get(1));
    }

    // ---- get options (spec 4) ----

    static Stream<Scenario> refusedGetOptionCombos() {
        List<Scenario> out = new ArrayList<>();
        for (List<String> chosen : Scenarios.optionSubsets()) {
            ProtocolError refusal = Scenarios.refusalOf(chosen);
            if (refusal == null) {
                continue;
            }
            for (long timeout : new long[] {-1, 500}) {
                for (boolean reverse : new boolean[] {false, true}) {
                    out.add(Scenarios.s("get " + Scenarios.getKey("q", chosen, timeout, reverse) + "\r\n", refusal));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest
    @MethodSource("refusedGetOptionCombos")
    void conflictingGetOptionsCloseTheConnection(Scenario s) {
        assertClosesWith(s.input(), (ProtocolError) s.expected().get(0));
    }

    @Test
    void everyConflictNamedInTheSpecIsRefused() {
        for (String opts : List.of("peek/open", "peek/close", "abort/open", "abort/close", "abort/peek",
                "open/peek", "close/abort", "t=5/abort/peek")) {
            List<Object> events = new ParserHarness(LINE, ITEM).feed("get q/" + opts + "\r\n").events();
            ProtocolError e = (ProtocolError) events.get(0);
            assertTrue(e.close(), opts);
            assertTrue(e.reply().startsWith("CLIENT_ERROR "), opts);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"bogus", "OPEN", "Peek", "opn", "sync", "", "t", "timeout=5"})
    void unknownGetOptionClosesTheConnection(String option) {
        assertClosesWith("get q/" + option + "\r\n", clientError("unknown option '" + option + "'", true));
        assertClosesWith("get q/open/" + option + "\r\n", clientError("unknown option '" + option + "'", true));
    }

    @ParameterizedTest
    @ValueSource(strings = {"t=-1", "t=abc", "t=", "t=1.5", "t=+5", "t=5ms", "t=0x10"})
    void badTimeoutClosesTheConnection(String option) {
        assertClosesWith("get q/" + option + "\r\n", clientError("bad timeout '" + option + "'", true));
    }

    @Test
    void badTimeoutIsRefusedWhereverItStandsAmongOthers() {
        assertClosesWith("get q/t=5/t=x\r\n", clientError("bad timeout 't=x'", true));
        assertClosesWith("get q/t=x/t=5\r\n", clientError("bad timeout 't=x'", true));
    }

    @Test
    void lastTimeoutWins() {
        assertParses("get q/t=5/t=100\r\n", get("q/t=5/t=100", 100));
        assertParses("get q/t=100/t=5\r\n", get("q/t=100/t=5", 5));
        assertParses("get q/t=100/close/open/t=0\r\n", get("q/t=100/close/open/t=0", 0, "open", "close"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/open", "/", "/t=5", "//"})
    void emptyQueueNameClosesTheConnection(String key) {
        assertClosesWith("get " + key + "\r\n", clientError("empty queue name", true));
    }

    @Test
    void clientTextEchoedInAnErrorIsPrintableAndBounded() {
        assertClosesWith("get q/ab\u0001\u00ff\r\n", clientError("unknown option 'ab??'", true));
        assertClosesWith("get q/" + repeat('z', 100) + "\r\n",
                clientError("unknown option '" + repeat('z', 40) + "'", true));
        assertKeptWith("set q/\u0000x 0 0 0\r\n\r\n", clientError("unknown option '?x'", false));
    }

    @ParameterizedTest
    @ValueSource(strings = {"get a b/open", "get a/open b", "get a b/t=5", "get a/t=5 b", "get a b/peek",
            "get a b/close", "gets a b/abort", "get a b /open"})
    void multiKeyGetRefusesOptions(String line) {
        assertKeptWith(line + "\r\n", clientError("options need a single key", false));
    }

    // ---- queue names in requests (spec 2) ----

    @Test
    void queueNameLengthLimitApplies() {
        String longest = repeat('n', QueueNames.MAX_LENGTH);
        assertParses("get " + longest + "\r\n", get(longest));
        assertKeptWith("get " + longest + "x\r\n", clientError("bad queue name", false));
        assertKeptWith("delete " + longest + "x\r\n", clientError("bad queue name", false));
        assertKeptWith("set " + longest + "x 0 0 1\r\nx\r\n", clientError("bad queue name", false));
    }

    @ParameterizedTest
    @ValueSource(strings = {".", "..", "a/b", "a+b+c", "+b", "a+", "a*", "a\u00e9", "a\rb", "a%2F"})
    void badQueueNameIsRefusedByEveryCommandThatNamesAQueue(String name) {
        String keyForSet = name.replace("/", "%"); // a slash in a set key introduces an option
        ProtocolError bad = clientError("bad queue name", false);
        if (!name.contains("/")) {
            assertKeptWith("get " + name + "\r\n", bad);
            assertKeptWith("get ok " + name + "\r\n", bad);
        }
        assertKeptWith("set " + keyForSet + " 0 0 1\r\nx\r\n", bad);
        assertKeptWith("delete " + name + "\r\n", bad);
        assertKeptWith("flush " + name + "\r\n", bad);
        assertKeptWith("flush_expired " + name + "\r\n", bad);
        assertKeptWith("monitor " + name + " 1\r\n", bad);
        assertKeptWith("confirm " + name + " 1\r\n", bad);
        assertKeptWith("dump_stats " + name + "\r\n", bad);
    }

    @Test
    void fanoutChildNameIsAccepted() {
        assertParses("set a+b 0 0 1\r\nx\r\n", set("a+b", 0, 0, 1), data("x"), DATA_END);
        assertParses("get a+b/t=5/open\r\n", get("a+b/t=5/open", 5, "open"));
        assertParses("delete a+b\r\n", new Request.Delete("a+b"));
    }

    // ---- after a closing error (spec 1) ----

    @Test
    void afterAClosingErrorTheParserHandsOutNothingMore() {
        RequestParser p = new RequestParser(LINE, ITEM);
        p.feed(bytes("set q 0 0 abc\r\nget q\r\nstats\r\n"));
        assertEquals(clientError("bad data chunk length", true), p.next());
        assertTrue(p.isClosed());
        assertEquals(0, p.buffered(), "nothing kept");
        assertNull(p.next());
        p.feed(bytes("get q\r\n"));
        assertNull(p.next());
        assertEquals(0, p.buffered(), "later bytes are dropped");
        assertFalse(p.inData());
    }

    @Test
    void afterAClosingErrorInTheMiddleOfDataNothingMoreEither() {
        RequestParser p = new RequestParser(LINE, ITEM);
        p.feed(bytes("set q 0 0 1\r\nxYZ\r\n"));
        assertEquals(set("q", 0, 0, 1), p.next());
        assertTrue(p.next() instanceof DataChunk);
        assertEquals(BAD_DATA_CHUNK, p.next());
        p.feed(bytes(NEXT));
        assertNull(p.next());
        assertTrue(p.isClosed());
    }
}
