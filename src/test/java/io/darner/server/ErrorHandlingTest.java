package io.darner.server;

import io.darner.testing.MemcacheClient;
import io.darner.testing.TempDataDir;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Requests the server refuses (spec 1, 2, 3): which replies, whether the connection stays, and that
 * a refused or broken set stores nothing. The data of a refused storage command is {@link #DATA},
 * which run as a command would get an extra {@code ERROR}: data the server failed to skip shows.
 */
@QuarkusTest
@QuarkusTestResource(TempDataDir.class)
class ErrorHandlingTest extends ServerTestBase {
    private static final int MAX_LINE = 2048;
    private static final long MAX_ITEM_SIZE = 32L * 1024 * 1024;
    /** The 7 bytes of data of every refused storage command below ("... 7" on its line). */
    private static final String DATA = "ignored";

    @ParameterizedTest
    @ValueSource(strings = {"bogus", "incr q 1", "decr q 1", "gat 0 q", "verbosity 1", "   "})
    void unknownCommandsAreErrorAndTheConnectionStays(String line) throws Exception {
        MemcacheClient c = connect();
        assertEquals("ERROR", c.call(line));
        assertAlive(c);
    }

    @Test
    void emptyLinesAreErrorAndTheConnectionStays() throws Exception {
        MemcacheClient c = connect();
        c.send("\r\n\n");
        assertEquals("ERROR", c.readLine());
        assertEquals("ERROR", c.readLine());
        assertAlive(c);
    }

    @ParameterizedTest
    @ValueSource(strings = {"add %s 0 0 7", "replace %s 0 0 7", "append %s 0 0 7", "prepend %s 0 0 7",
            "cas %s 0 0 7 12345", "ADD %s 0 0 7 noreply"})
    void unsupportedStorageCommandsConsumeTheirDataAndStay(String pattern) throws Exception {
        String line = String.format(pattern, q);
        String verb = line.split(" ")[0].toLowerCase();
        MemcacheClient c = connect();
        c.send(line + "\r\n" + DATA + "\r\n");
        assertEquals("CLIENT_ERROR " + verb + " not supported", c.readLine());
        assertAlive(c);
        assertNull(c.get(q));
    }

    @Test
    void aLineUpToTheLimitIsServed() throws Exception {
        MemcacheClient c = connect();
        assertTrue(c.call(padded("version", MAX_LINE - 2)).startsWith("VERSION "), "2048 bytes with CRLF");
        c.send(padded("version", MAX_LINE - 1) + "\n");
        assertTrue(c.readLine().startsWith("VERSION "), "2048 bytes with LF");
    }

    @Test
    void aLineOverTheLimitIsRefusedAndClosed() throws Exception {
        assertRepliedAndClosed(connect(), padded("version", MAX_LINE - 1) + "\r\n", "CLIENT_ERROR line too long");
    }

    @Test
    void aLineThatNeverEndsIsRefusedWithoutWaitingForItsEnd() throws Exception {
        assertRepliedAndClosed(connect(), "get " + "x".repeat(MAX_LINE), "CLIENT_ERROR line too long");
    }

    @Test
    void anItemOverTheMaximumIsRefusedBeforeItsDataAndClosed() throws Exception {
        assertRepliedAndClosed(connect(), "set " + q + " 0 0 " + (MAX_ITEM_SIZE + 1) + "\r\n",
                "SERVER_ERROR object too large for cache");
        assertFalse(queueExists(q));
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "abc", "99999999999999999999", ""})
    void aBadLengthOnASetIsRefusedAndClosed(String bytes) throws Exception {
        MemcacheClient c = connect();
        c.send("set " + q + " 0 0 " + bytes + "\r\n");
        assertTrue(c.readLine().startsWith("CLIENT_ERROR "));
        assertClosedByServer(c);
        assertFalse(queueExists(q));
    }

    @ParameterizedTest
    @ValueSource(ints = {5, 200 * 1024})
    void aBadDataChunkStoresNothingAndCloses(int size) throws Exception {
        byte[] data = randomBytes(size, size);
        MemcacheClient c = connect();
        c.send("set " + q + " 0 0 " + size + "\r\n");
        c.send(data);
        assertRepliedAndClosed(c, "XY", "CLIENT_ERROR bad data chunk");
        assertNoItems(q);
    }

    @Test
    void dataEndedByABareLfIsABadDataChunk() throws Exception {
        MemcacheClient c = connect();
        assertRepliedAndClosed(c, "set " + q + " 0 0 5\r\nhello\nget " + q + "\r\n", "CLIENT_ERROR bad data chunk");
        assertNoItems(q);
    }

    @ParameterizedTest
    @ValueSource(ints = {100, 1024 * 1024})
    void aConnectionThatDiesMidSetStoresNothing(int size) throws Exception {
        MemcacheClient c = connect();
        c.send("set " + q + " 0 0 " + size + "\r\n");
        c.send(randomBytes(size / 2, size));
        disconnect(c);
        assertNoItems(q);
        assertEquals(0, queueStat(q, "bytes"));
    }

    /** The command line is understood up to its length: the data is skipped and the connection stays. */
    @ParameterizedTest
    @ValueSource(strings = {"set %s -1 0 7", "set %s 4294967296 0 7", "set %s x 0 7", "set %s 0 abc 7",
            "set %s 0 0 7 extra", "set %s/nosuch 0 0 7", "set %s/ 0 0 7"})
    void aSetWithBadArgumentsSkipsItsDataAndStays(String pattern) throws Exception {
        MemcacheClient c = connect();
        c.send(String.format(pattern, q) + "\r\n" + DATA + "\r\n");
        assertTrue(c.readLine().startsWith("CLIENT_ERROR "));
        assertAlive(c);
        assertNull(c.get(q));
    }

    @ParameterizedTest
    @ValueSource(strings = {"set %s 0 0", "set %s", "set", "set %s 0 0 7 noreply extra"})
    void aSetWithoutAUsableLengthIsRefusedAndClosed(String pattern) throws Exception {
        MemcacheClient c = connect();
        c.send(String.format(pattern, q) + "\r\n");
        assertTrue(c.readLine().startsWith("CLIENT_ERROR "));
        assertClosedByServer(c);
    }

    @ParameterizedTest
    @ValueSource(strings = {"..", ".", "a/b", "a*b", "a\\b", "caf\u00e9", "tab\tname"})
    void aSetToABadQueueNameIsRefusedAndStoresNothing(String name) throws Exception {
        MemcacheClient c = connect();
        c.send("set " + name + " 0 0 7\r\n" + DATA + "\r\n");
        assertTrue(c.readLine().startsWith("CLIENT_ERROR "), "set " + name);
        assertAlive(c);
        assertNoQueueNamed(name);
    }

    @Test
    void queueNamesOfMoreThan250BytesAreRefused() throws Exception {
        String longest = "n".repeat(250);
        String tooLong = "n".repeat(251);
        MemcacheClient c = connect();
        assertEquals("STORED", c.set(longest, "ok"));
        assertEquals("ok", c.get(longest));
        c.send("set " + tooLong + " 0 0 7\r\n" + DATA + "\r\n");
        assertEquals("CLIENT_ERROR bad queue name", c.readLine());
        for (String command : new String[] {"get ", "delete ", "flush "}) {
            assertEquals("CLIENT_ERROR bad queue name", c.call(command + tooLong));
        }
        assertAlive(c);
        assertNoQueueNamed(tooLong);
        assertEquals("DELETED", c.call("delete " + longest));
    }

    @ParameterizedTest
    @ValueSource(strings = {"get ..", "get .", "get a*b", "get ok ..", "delete ..", "flush a/b", "dump_stats .."})
    void otherCommandsRefuseBadQueueNames(String line) throws Exception {
        MemcacheClient c = connect();
        assertEquals("CLIENT_ERROR bad queue name", c.call(line));
        assertAlive(c);
    }

    @ParameterizedTest
    @ValueSource(strings = {"get", "gets", "delete", "delete a b", "flush", "stats x", "version x",
            "status bogus", "confirm q", "confirm q x", "get a b/t=10", "flush_all x"})
    void knownCommandsWithBadArgumentsAreClientErrorAndStay(String line) throws Exception {
        MemcacheClient c = connect();
        String reply = c.call(line);
        assertTrue(reply.startsWith("CLIENT_ERROR "), line + " -> " + reply);
        assertAlive(c);
    }

    @Test
    void errorRepliesCarryAReason() throws Exception {
        MemcacheClient c = connect();
        for (String line : new String[] {"get", "get a*b", "delete"}) {
            String reply = c.call(line);
            assertTrue(reply.matches("CLIENT_ERROR \\S.*"), reply);
        }
    }

    private void assertNoItems(String queue) throws Exception {
        assertNull(connect().get(queue));
        assertEquals(0, queueStat(queue, "items"));
    }

    private void assertNoQueueNamed(String name) throws Exception {
        assertFalse(queueExists(name), "a queue named " + name + " exists");
    }

    /** {@code text} followed by spaces up to {@code length} characters. */
    private static String padded(String text, int length) {
        char[] spaces = new char[length - text.length()];
        Arrays.fill(spaces, ' ');
        return text + new String(spaces);
    }
}
