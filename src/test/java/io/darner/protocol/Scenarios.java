package io.darner.protocol;

import static io.darner.protocol.ParserHarness.BAD_DATA_CHUNK;
import static io.darner.protocol.ParserHarness.DATA_END;
import static io.darner.protocol.ParserHarness.LINE_TOO_LONG;
import static io.darner.protocol.ParserHarness.MAX_ITEM;
import static io.darner.protocol.ParserHarness.TOO_LARGE;
import static io.darner.protocol.ParserHarness.clientError;
import static io.darner.protocol.ParserHarness.data;
import static io.darner.protocol.ParserHarness.get;
import static io.darner.protocol.ParserHarness.repeat;
import static io.darner.protocol.ParserHarness.set;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Request inputs and the events they must give with the default limits ({@link ParserHarness#MAX_LINE},
 * {@link ParserHarness#MAX_ITEM}), one table per kind. Shared by the split-point and the pipelining tests.
 */
final class Scenarios {

    record Scenario(String input, List<Object> expected) {
        @Override
        public String toString() {
            return ParserHarness.visible(input);
        }
    }

    private Scenarios() {}

    static Scenario s(String input, Object... expected) {
        return new Scenario(input, List.of(expected));
    }

    /** Every kind of well-formed request of spec section 3, in the spellings section 1 allows. */
    static List<Scenario> requests() {
        return List.of(
                // set and its data
                s("set q 0 0 5\r\nhello\r\n", set("q", 0, 0, 5), data("hello"), DATA_END),
                s("set q 0 0 0\r\n\r\n", set("q", 0, 0, 0), DATA_END),
                s("set q 0 0 6\r\na\r\nb\r\n\r\n", set("q", 0, 0, 6), data("a\r\nb\r\n"), DATA_END),
                s("set q 0 0 4\r\n\r\n\r\n\r\n", set("q", 0, 0, 4), data("\r\n\r\n"), DATA_END),
                s("set q 0 0 7\r\nget z\r\n\r\n", set("q", 0, 0, 7), data("get z\r\n"), DATA_END),
                s("set q 0 0 3\r\n\0\377\n\r\n", set("q", 0, 0, 3), data("\0\377\n"), DATA_END),
                s("set q 0 0 2 noreply\r\nhi\r\n", new Request.Set("q", false, 0, 0, 2, true), data("hi"), DATA_END),
                s("set q/sync 7 0 2\r\nhi\r\n", new Request.Set("q", true, 7, 0, 2, false), data("hi"), DATA_END),
                s("set q/sync/sync 0 0 0 noreply\r\n\r\n", new Request.Set("q", true, 0, 0, 0, true), DATA_END),
                s("set a+b 4294967295 -5 1\r\nx\r\n", set("a+b", 4294967295L, -5, 1), data("x"), DATA_END),
                s("set q 0 1700000000 1\r\nx\r\n", set("q", 0, 1700000000L, 1), data("x"), DATA_END),
                // delayed sets: 1 ms to 30 days, with /sync or not; the last delay given counts
                s("set q/delay=1500 0 0 2\r\nhi\r\n", new Request.Set("q", false, 0, 0, 2, false, 1500), data("hi"),
                        DATA_END),
                s("set q/delay=1 0 0 0\r\n\r\n", new Request.Set("q", false, 0, 0, 0, false, 1), DATA_END),
                s("set q/sync/delay=2592000000 3 0 0 noreply\r\n\r\n",
                        new Request.Set("q", true, 3, 0, 0, true, 2_592_000_000L), DATA_END),
                s("set q/delay=9/sync/delay=7 0 5 1\r\nx\r\n", new Request.Set("q", true, 0, 5, 1, false, 7), data("x"),
                        DATA_END),
                // get
                s("get q\r\n", get("q")),
                s("gets q\r\n", get("q")),
                s("get a b c+d\r\n", get("a", "b", "c+d")),
                s("get q/t=5/t=100\r\n", get("q/t=5/t=100", 100)),
                s("get q/t=100/open/t=0\r\n", get("q/t=100/open/t=0", 0, "open")),
                s("get a+b/open\r\n", get("a+b/open", -1, "open")),
                s("get q/t=" + repeat('9', 18) + "\r\n", get("q/t=" + repeat('9', 18), 999_999_999_999_999_999L)),
                // an abort given back after a delay
                s("get q/abort/delay=250\r\n", abortAfter("q/abort/delay=250", 250)),
                s("get q/delay=2592000000/abort\r\n", abortAfter("q/delay=2592000000/abort", 2_592_000_000L)),
                s("get q/abort/delay=5/delay=1\r\n", abortAfter("q/abort/delay=5/delay=1", 1)),
                // the other commands
                s("delete q\r\n", new Request.Delete("q")),
                s("flush q\r\n", new Request.Flush("q")),
                s("flush_all\r\n", new Request.FlushAll(false)),
                s("flush_all 0\r\n", new Request.FlushAll(false)),
                s("flush_all noreply\r\n", new Request.FlushAll(true)),
                s("flush_all 10 noreply\r\n", new Request.FlushAll(true)),
                s("flush_expired q\r\n", new Request.FlushExpired("q")),
                s("flush_all_expired\r\n", new Request.FlushAllExpired()),
                s("stats\r\n", new Request.Stats()),
                s("dump_stats\r\n", new Request.DumpStats(List.of())),
                s("dump_stats a b+c\r\n", new Request.DumpStats(List.of("a", "b+c"))),
                s("version\r\n", new Request.Version()),
                s("monitor q 10\r\n", new Request.Monitor("q", 10, Integer.MAX_VALUE)),
                s("monitor q 0 5\r\n", new Request.Monitor("q", 0, 5)),
                s("confirm q 2\r\n", new Request.Confirm("q", 2)),
                s("touch q 30\r\n", new Request.Touch("q", 30, false)),
                s("touch q 0 noreply\r\n", new Request.Touch("q", 0, true)),
                s("TOUCH Q 2147483647\r\n", new Request.Touch("Q", Integer.MAX_VALUE, false)),
                s("status\r\n", new Request.Status(null)),
                s("status up\r\n", new Request.Status("up")),
                s("status readonly\r\n", new Request.Status("readonly")),
                s("status quiescent\r\n", new Request.Status("quiescent")),
                s("shutdown\r\n", new Request.Shutdown()),
                s("quit\r\n", new Request.Quit()),
                // unknown commands and empty lines: ERROR, connection kept
                s("foo bar\r\n", new Request.Unknown("foo")),
                s("incr q 1\r\n", new Request.Unknown("incr")),
                s("\r\n", new Request.Unknown("")),
                s("\n", new Request.Unknown("")),
                s("   \r\n", new Request.Unknown("")),
                // bare LF endings
                s("get q\n", get("q")),
                s("set q 0 0 2\nhi\r\n", set("q", 0, 0, 2), data("hi"), DATA_END),
                s("confirm q 1\n", new Request.Confirm("q", 1)),
                // several spaces between tokens, leading and trailing spaces
                s("set   q  0   0  2  \r\nhi\r\n", set("q", 0, 0, 2), data("hi"), DATA_END),
                s("  get   a    b \r\n", get("a", "b")),
                s("monitor  q   1    2\r\n", new Request.Monitor("q", 1, 2)),
                // command words are case-insensitive, queue names are not
                s("SET Q 0 0 2\r\nhi\r\n", set("Q", 0, 0, 2), data("hi"), DATA_END),
                s("GeT MyQueue\r\n", get("MyQueue")),
                s("GETS Q/open\r\n", get("Q/open", -1, "open")),
                s("DELETE Q\r\n", new Request.Delete("Q")),
                s("STATS\r\n", new Request.Stats()),
                s("Flush_All\r\n", new Request.FlushAll(false)),
                s("STATUS READONLY\r\n", new Request.Status("readonly")),
                s("QUIT\r\n", new Request.Quit()),
                s("FOO\r\n", new Request.Unknown("foo")));
    }

    /**
     * Every allowed combination of the get options of spec section 4, with no, a zero and a positive
     * {@code t=}, in forward and reverse order.
     */
    static List<Scenario> getOptionCombos() {
        Map<String, Scenario> out = new LinkedHashMap<>();
        for (List<String> chosen : optionSubsets()) {
            if (refusalOf(chosen) != null) {
                continue;
            }
            for (long timeout : new long[] {-1, 0, 250}) {
                for (boolean reverse : new boolean[] {false, true}) {
                    String key = getKey("q", chosen, timeout, reverse);
                    out.putIfAbsent(key, s("get " + key + "\r\n", get(key, timeout, chosen.toArray(new String[0]))));
                }
            }
        }
        return List.copyOf(out.values());
    }

    /** {@code get <requested>} of an abort given back after {@code delayMs}. */
    private static Request.Get abortAfter(String requested, long delayMs) {
        return new Request.Get(List.of(new GetKey("q", requested, -1, false, false, true, false, delayMs)));
    }

    /** All 16 subsets of the flag options open, close, abort, peek. */
    static List<List<String>> optionSubsets() {
        String[] all = {"open", "close", "abort", "peek"};
        List<List<String>> subsets = new ArrayList<>();
        for (int mask = 0; mask < 1 << all.length; mask++) {
            List<String> chosen = new ArrayList<>();
            for (int i = 0; i < all.length; i++) {
                if ((mask & (1 << i)) != 0) {
                    chosen.add(all[i]);
                }
            }
            subsets.add(chosen);
        }
        return subsets;
    }

    /** {@code queue/opt/opt/t=ms}, or reversed with t= first. */
    static String getKey(String queue, List<String> options, long timeout, boolean reverse) {
        List<String> parts = new ArrayList<>(options);
        if (timeout >= 0) {
            parts.add("t=" + timeout);
        }
        if (reverse) {
            Collections.reverse(parts);
        }
        StringBuilder b = new StringBuilder(queue);
        parts.forEach(p -> b.append('/').append(p));
        return b.toString();
    }

    /** The refusal spec section 4 demands for a set of get options, or null when they may go together. */
    static ProtocolError refusalOf(List<String> options) {
        boolean open = options.contains("open");
        boolean close = options.contains("close");
        boolean abort = options.contains("abort");
        boolean peek = options.contains("peek");
        if (peek && (open || close)) {
            return clientError("peek cannot be combined with open or close", true);
        }
        if (abort && (open || close || peek)) {
            return clientError("abort cannot be combined with open, close or peek", true);
        }
        return null;
    }

    /**
     * Requests refused with the connection kept. For the storage commands the data block is read and
     * thrown away first, so the stream stays in step; its content is never taken for a command.
     */
    static List<Scenario> refusedButKept() {
        return List.of(
                s("add q 0 0 2\r\nhi\r\n", clientError("add not supported", false)),
                s("replace q 0 0 2\r\nhi\r\n", clientError("replace not supported", false)),
                s("append q 0 0 7\r\nget z\r\n\r\n", clientError("append not supported", false)),
                s("prepend q 0 0 2 noreply\r\nhi\r\n", clientError("prepend not supported", false)),
                s("cas q 0 0 2 99\r\nhi\r\n", clientError("cas not supported", false)),
                s("CAS q 0 0 0 99 noreply\r\n\r\n", clientError("cas not supported", false)),
                s("set bad! 0 0 7\r\nget z\r\n\r\n", clientError("bad queue name", false)),
                s("set .. 0 0 0\r\n\r\n", clientError("bad queue name", false)),
                s("set q x 0 2\r\nhi\r\n", clientError("bad flags", false)),
                s("set q -1 0 2\r\nhi\r\n", clientError("bad flags", false)),
                s("set q 4294967296 0 2\r\nhi\r\n", clientError("bad flags", false)),
                s("set q 0 x 2\r\nhi\r\n", clientError("bad exptime", false)),
                s("set q 0 - 2\r\nhi\r\n", clientError("bad exptime", false)),
                s("set q 0 1.5 2\r\nhi\r\n", clientError("bad exptime", false)),
                s("set q/peek 0 0 2\r\nhi\r\n", clientError("unknown option 'peek'", false)),
                s("set q/ 0 0 2\r\nhi\r\n", clientError("unknown option ''", false)),
                s("set q 0 0 2 norep\r\nhi\r\n", clientError("bad command line format", false)),
                s("set q/delay=0 0 0 2\r\nhi\r\n", clientError("bad delay 'delay=0'", false)),
                s("set q/delay=2592000001 0 0 2\r\nhi\r\n", clientError("bad delay 'delay=2592000001'", false)),
                s("set q/delay= 0 0 2\r\nhi\r\n", clientError("bad delay 'delay='", false)),
                s("set q/delay=-5 0 0 2\r\nhi\r\n", clientError("bad delay 'delay=-5'", false)),
                s("set q/delay=1.5/sync 0 0 7\r\nget z\r\n\r\n", clientError("bad delay 'delay=1.5'", false)),
                s("set q/delay 0 0 2\r\nhi\r\n", clientError("unknown option 'delay'", false)),
                s("touch q\r\n", clientError("usage: touch <queue> <seconds> [noreply]", false)),
                s("touch q 1 noreply x\r\n", clientError("usage: touch <queue> <seconds> [noreply]", false)),
                s("touch q 1 yes\r\n", clientError("usage: touch <queue> <seconds> [noreply]", false)),
                s("touch q! 1\r\n", clientError("bad queue name", false)),
                s("touch q -1\r\n", clientError("bad seconds", false)),
                s("touch q 2147483648\r\n", clientError("bad seconds", false)),
                s("get\r\n", clientError("missing queue name", false)),
                s("get bad!\r\n", clientError("bad queue name", false)),
                s("get ../open\r\n", clientError("bad queue name", false)),
                s("get a b!\r\n", clientError("bad queue name", false)),
                s("get a b/open\r\n", clientError("options need a single key", false)),
                s("get a/t=5 b\r\n", clientError("options need a single key", false)),
                s("delete\r\n", clientError("missing queue name", false)),
                s("delete a b\r\n", clientError("too many arguments", false)),
                s("flush ..\r\n", clientError("bad queue name", false)),
                s("flush_expired\r\n", clientError("missing queue name", false)),
                s("flush_all x\r\n", clientError("bad command line format", false)),
                s("flush_all noreply 5\r\n", clientError("bad command line format", false)),
                s("flush_all_expired q\r\n", clientError("flush_all_expired takes no arguments", false)),
                s("stats items\r\n", clientError("stats takes no arguments", false)),
                s("version 1\r\n", clientError("version takes no arguments", false)),
                s("shutdown now\r\n", clientError("shutdown takes no arguments", false)),
                s("dump_stats a b!\r\n", clientError("bad queue name", false)),
                s("monitor q\r\n", clientError("usage: monitor <queue> <seconds> [max]", false)),
                s("monitor q 1 2 3\r\n", clientError("usage: monitor <queue> <seconds> [max]", false)),
                s("monitor q! 1\r\n", clientError("bad queue name", false)),
                s("monitor q x\r\n", clientError("bad seconds", false)),
                s("monitor q 1 -2\r\n", clientError("bad max", false)),
                s("confirm q\r\n", clientError("usage: confirm <queue> <count>", false)),
                s("confirm q! 1\r\n", clientError("bad queue name", false)),
                s("confirm q -1\r\n", clientError("bad count", false)),
                s("status bogus\r\n", clientError("status must be up, readonly or quiescent", false)),
                s("status up now\r\n", clientError("status takes one argument, not 2", false)));
    }

    /** Requests after which the connection must be closed; the parser hands out nothing more. */
    static List<Scenario> closing() {
        return List.of(
                s("set q 0 0 abc\r\n", clientError("bad data chunk length", true)),
                s("set q 0 0 -1\r\n", clientError("bad data chunk length", true)),
                s("set q 0 0 1.5\r\n", clientError("bad data chunk length", true)),
                s("set q 0 0\r\n", clientError("bad command line format", true)),
                s("set q 0 0 2 noreply x\r\nhi\r\n", clientError("bad command line format", true)),
                s("add q 0 0\r\n", clientError("bad command line format", true)),
                s("cas q 0 0 2\r\nhi\r\n", clientError("bad command line format", true)),
                s("set q 0 0 " + (MAX_ITEM + 1) + "\r\n", TOO_LARGE),
                s("set q 0 0 3000000000\r\n", TOO_LARGE),
                s("append q 0 0 " + (MAX_ITEM + 1) + "\r\n", TOO_LARGE),
                s("cas q 0 0 " + (MAX_ITEM + 1) + " 1\r\n", TOO_LARGE),
                s("set q 0 0 3\r\nabcXY", set("q", 0, 0, 3), data("abc"), BAD_DATA_CHUNK),
                s("set q 0 0 3\r\nabcd\r\n", set("q", 0, 0, 3), data("abc"), BAD_DATA_CHUNK),
                s("set q 0 0 3\r\nabc\nget q\r\n", set("q", 0, 0, 3), data("abc"), BAD_DATA_CHUNK),
                s("set q 0 0 3\r\nabc\r\r\n", set("q", 0, 0, 3), data("abc"), BAD_DATA_CHUNK),
                s("set q 0 0 0\r\nX\r\n", set("q", 0, 0, 0), BAD_DATA_CHUNK),
                s("set bad! 0 0 3\r\nabcXY", BAD_DATA_CHUNK),
                s("add q 0 0 3\r\nabc\n\r", BAD_DATA_CHUNK),
                s("get q/peek/open\r\n", clientError("peek cannot be combined with open or close", true)),
                s("get q/abort/close\r\n", clientError("abort cannot be combined with open, close or peek", true)),
                s("get q/bogus\r\n", clientError("unknown option 'bogus'", true)),
                s("get q/delay=5\r\n", clientError("delay goes with abort alone", true)),
                s("get q/abort/delay=5/t=10\r\n", clientError("delay goes with abort alone", true)),
                s("get q/t=0/abort/delay=5\r\n", clientError("delay goes with abort alone", true)),
                s("get q/open/delay=5\r\n", clientError("delay goes with abort alone", true)),
                s("get q/close/abort/delay=5\r\n", clientError("delay goes with abort alone", true)),
                s("get q/peek/delay=5\r\n", clientError("delay goes with abort alone", true)),
                s("get q/abort/delay=0\r\n", clientError("bad delay 'delay=0'", true)),
                s("get q/abort/delay=x\r\n", clientError("bad delay 'delay=x'", true)),
                s("get q/abort/delay=2592000001\r\n", clientError("bad delay 'delay=2592000001'", true)),
                s("get /open\r\n", clientError("empty queue name", true)),
                s("get q/t=-1\r\n", clientError("bad timeout 't=-1'", true)),
                s("get " + repeat('a', 3000) + "\r\n", LINE_TOO_LONG));
    }
}
