package io.darner.loadgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplyReaderTest {
    private static final ItemId ITEM = new ItemId(0x1234, 5, 6);
    private final Payload payload = new Payload(64);
    private final ReplyReader reader = new ReplyReader(List.of("bench", "other"), GetOptions.NONE, payload);

    @Test
    void storedAnswersASet() {
        assertSame(Reply.STORED, read(Op.SET, Wire.ascii("STORED\r\n")));
    }

    @Test
    void anythingElseAnswersASetWithAnError() {
        assertError("set got NOT_STORED\\r\\n, expected STORED", read(Op.SET, Wire.ascii("NOT_STORED\r\n")));
        assertError("set got SERVER_ERROR disk full\\r\\n", read(Op.SET, Wire.ascii("SERVER_ERROR disk full\r\n")));
        assertError("set got STORED\\n", read(Op.SET, Wire.ascii("STORED\n")));
    }

    @Test
    void endAloneIsAMiss() {
        assertSame(Reply.MISS, read(Op.GET, Wire.ascii("END\r\n")));
    }

    @Test
    void aValueIsAHitNamingTheItem() {
        Reply reply = read(Op.GET, hit(ITEM));
        assertEquals(Reply.Type.HIT, reply.type());
        assertEquals(ITEM, reply.item());
    }

    @Test
    void aHitSplitAnywhereReadsTheSame() {
        byte[] whole = hit(ITEM);
        for (int cut = 1; cut < whole.length; cut++) {
            reader.expect(Op.GET, 0);
            assertNull(reader.read(ByteBuffer.wrap(whole, 0, cut)), "incomplete at " + cut);
            ByteBuffer rest = ByteBuffer.wrap(whole, cut, whole.length - cut);
            assertEquals(Reply.hit(ITEM), reader.read(rest), "cut at " + cut);
        }
    }

    @Test
    void aHitArrivingByteByByteReadsTheSame() {
        reader.expect(Op.GET, 0);
        Reply reply = null;
        for (byte b : hit(ITEM)) {
            assertNull(reply, "complete before the last byte");
            reply = reader.read(ByteBuffer.wrap(new byte[] {b}));
        }
        assertEquals(Reply.hit(ITEM), reply);
    }

    @Test
    void theValueLineMustBeExact() {
        byte[] item = Wire.item(payload, ITEM);
        assertError("get got VALUE bench 1 64\\r\\n, expected VALUE bench 0 64\\r\\n or END",
                read(Op.GET, replace(Wire.value("bench", item), "VALUE bench 0", "VALUE bench 1")));
        assertError("get got VALUE other 0 64", read(Op.GET, Wire.value("other", item)));
        assertError("get got STORED", read(Op.GET, Wire.ascii("STORED\r\n")));
    }

    @Test
    void aWrongLengthIsAnError() {
        byte[] shorter = Arrays.copyOf(Wire.item(payload, ITEM), 63);
        assertError("get got VALUE bench 0 63", read(Op.GET, Wire.value("bench", shorter)));
    }

    @Test
    void aCorruptFillerByteIsFoundAtItsOffset() {
        byte[] reply = hit(ITEM);
        int valueLine = "VALUE bench 0 64\r\n".length();
        reply[valueLine + 40] ^= 1;
        assertError("item 00001234:000005:00000006 corrupt at byte 40 of 64", read(Op.GET, reply));
    }

    @Test
    void theFillerMustBelongToTheItemTheHeaderNames() {
        byte[] item = Wire.item(payload, ITEM);
        byte[] other = Wire.item(payload, new ItemId(0x1234, 5, 7));
        System.arraycopy(other, Payload.HEADER_SIZE, item, Payload.HEADER_SIZE, 64 - Payload.HEADER_SIZE);
        assertError("corrupt at byte 25", read(Op.GET, Wire.value("bench", item)));
    }

    @Test
    void aMalformedHeaderIsAnError() {
        byte[] item = Wire.item(payload, ITEM);
        item[8] = '-';
        assertError("malformed item header: 00001234-000005:00000006:", read(Op.GET, Wire.value("bench", item)));
    }

    @Test
    void theItemMustBeFollowedByCrlfEnd() {
        byte[] reply = hit(ITEM);
        reply[reply.length - 3] = 'X';
        assertError("not followed by exactly \\r\\nEND\\r\\n", read(Op.GET, reply));
    }

    @Test
    void anOverlongLineIsAnError() {
        byte[] line = new byte[ReplyReader.MAX_LINE + 10];
        Arrays.fill(line, (byte) 'x');
        assertError("reply line longer than 1024 bytes", read(Op.GET, line));
    }

    @Test
    void bytesAfterTheReplyAreLeftUnread() {
        ByteBuffer in = ByteBuffer.wrap(concat(Wire.ascii("END\r\n"), Wire.ascii("END\r\n")));
        reader.expect(Op.GET, 0);
        assertSame(Reply.MISS, reader.read(in));
        assertEquals(5, in.remaining());
    }

    @Test
    void expectStartsAfresh() {
        assertNull(read(Op.GET, Wire.ascii("VALUE bench 0 64\r\n0000")), "incomplete");
        assertSame(Reply.MISS, read(Op.GET, Wire.ascii("END\r\n")));
    }

    @Test
    void eachQueueSlotExpectsItsOwnName() {
        reader.expect(Op.GET, 1);
        Reply other = reader.read(ByteBuffer.wrap(Wire.value("other", Wire.item(payload, ITEM))));
        assertEquals(Reply.hit(ITEM), other);
        reader.expect(Op.GET, 1);
        assertError("expected VALUE other 0 64", reader.read(ByteBuffer.wrap(hit(ITEM))));
    }

    @Test
    void aGetWithOptionsMayBeAnsweredWithTheKeyAsAskedOrTheBareQueue() throws UsageException {
        ReplyReader reliable = new ReplyReader(List.of("bench"), GetOptions.parse("/t=500/close/open"), payload);
        byte[] item = Wire.item(payload, ITEM);
        for (String key : List.of("bench/t=500/close/open", "bench")) {
            reliable.expect(Op.GET, 0);
            assertEquals(Reply.hit(ITEM), reliable.read(ByteBuffer.wrap(Wire.value(key, item))), key);
        }
        reliable.expect(Op.GET, 0);
        assertError("got VALUE bench/open 0 64\\r\\n, expected VALUE bench/t=500/close/open 0 64\\r\\n, "
                + "VALUE bench 0 64\\r\\n or END", reliable.read(ByteBuffer.wrap(Wire.value("bench/open", item))));
    }

    @Test
    void endAloneAnswersAClose() {
        assertSame(Reply.CLOSED, read(Op.CLOSE, Wire.ascii("END\r\n")));
        assertError("close got VALUE bench 0 64\\r\\n, expected END", read(Op.CLOSE, hit(ITEM)));
    }

    @Test
    void printableEscapesControlBytes() {
        assertEquals("a\\r\\n\\x00\\x5c", ReplyReader.printable(new byte[] {'a', '\r', '\n', 0, '\\'}, 10));
    }

    private Reply read(Op op, byte[] bytes) {
        reader.expect(op, 0);
        return reader.read(ByteBuffer.wrap(bytes));
    }

    private byte[] hit(ItemId item) {
        return Wire.value("bench", Wire.item(payload, item));
    }

    private static void assertError(String expected, Reply reply) {
        assertEquals(Reply.Type.ERROR, reply == null ? null : reply.type(), "not an error: " + reply);
        assertTrue(reply.error().contains(expected), reply.error());
    }

    private static byte[] replace(byte[] bytes, String from, String to) {
        return Wire.ascii(new String(bytes, StandardCharsets.ISO_8859_1).replace(from, to));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(a);
        out.writeBytes(b);
        return out.toByteArray();
    }
}
