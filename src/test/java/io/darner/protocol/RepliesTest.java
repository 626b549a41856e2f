package io.darner.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Byte-exact fixtures for every reply encoding: each line ends in CRLF, nothing more, nothing less. */
class RepliesTest {

    private static void assertBytes(String expected, byte[] actual) {
        assertArrayEquals(expected.getBytes(StandardCharsets.ISO_8859_1), actual,
                () -> "got: " + ParserHarness.visible(new String(actual, StandardCharsets.ISO_8859_1)));
    }

    @Test
    void fixedReplies() {
        assertBytes("\r\n", Replies.CRLF);
        assertBytes("STORED\r\n", Replies.STORED);
        assertBytes("NOT_STORED\r\n", Replies.NOT_STORED);
        assertBytes("END\r\n", Replies.END);
        assertBytes("DELETED\r\n", Replies.DELETED);
        assertBytes("ERROR\r\n", Replies.ERROR);
        assertBytes("TOUCHED\r\n", Replies.TOUCHED);
        assertBytes("NOT_FOUND\r\n", Replies.NOT_FOUND);
        assertBytes("Flushed all queues.\r\n", Replies.FLUSHED_ALL);
        assertBytes("SERVER_ERROR too many connections\r\n", Replies.TOO_MANY_CONNECTIONS);
    }

    @Test
    void valueHeader() {
        assertBytes("VALUE q 0 5\r\n", Replies.valueHeader("q", 0, 5));
        assertBytes("VALUE jobs+audit 4294967295 0\r\n", Replies.valueHeader("jobs+audit", 4294967295L, 0));
        assertBytes("VALUE Q 12 33554432\r\n", Replies.valueHeader("Q", 12, 32 * 1024 * 1024));
    }

    @Test
    void errorLines() {
        assertBytes("CLIENT_ERROR bad data chunk\r\n", Replies.clientError("bad data chunk"));
        assertBytes("CLIENT_ERROR add not supported\r\n", Replies.clientError("add not supported"));
        assertBytes("SERVER_ERROR object too large for cache\r\n", Replies.serverError("object too large for cache"));
        assertBytes("SERVER_ERROR server is read-only\r\n", Replies.serverError("server is read-only"));
        assertBytes("ERROR\r\n", Replies.line("ERROR"));
    }

    /** A reason from the store or the JVM must not break the reply's framing. */
    @Test
    void errorReasonsAreOneLineOfPrintableAsciiAndBounded() {
        assertBytes("SERVER_ERROR write failed??IO error: x?\r\n", Replies.serverError("write failed\r\nIO error: x\u00e9"));
        assertBytes("SERVER_ERROR unknown error\r\n", Replies.serverError(null));
        assertBytes("CLIENT_ERROR a?b\r\n", Replies.clientError("a\nb"));
        assertEquals("SERVER_ERROR ".length() + Replies.MAX_REASON + 2, Replies.serverError("x".repeat(5000)).length);
    }

    @Test
    void lineOfAProtocolErrorIsItsReplyWithCrlf() {
        assertBytes("CLIENT_ERROR line too long\r\n",
                Replies.line(ProtocolError.client("line too long", true).reply()));
        assertBytes("SERVER_ERROR object too large for cache\r\n",
                Replies.line(ProtocolError.server("object too large for cache", true).reply()));
    }

    @Test
    void numberAndVersion() {
        assertBytes("0\r\n", Replies.number(0));
        assertBytes("17\r\n", Replies.number(17));
        assertBytes("9223372036854775807\r\n", Replies.number(Long.MAX_VALUE));
        assertBytes("VERSION 1.0.0\r\n", Replies.version("1.0.0"));
    }

    @Test
    void statLines() {
        assertBytes("STAT uptime 12\r\n", Replies.stat("uptime", "12"));
        assertBytes("STAT queue_a+b_items 3\r\n", Replies.stat("queue_a+b_items", "3"));
    }

    @Test
    void dumpStatsQueue() {
        assertBytes("queue 'jobs' {\r\n", Replies.dumpStatsQueueStart("jobs"));
        assertBytes("  children=jobs+a,jobs+b\r\n", Replies.dumpStatsField("children", "jobs+a,jobs+b"));
        assertBytes("}\r\n", Replies.DUMP_STATS_QUEUE_END);
    }
}
