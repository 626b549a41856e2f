package io.darner.loadgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PayloadTest {

    @Test
    void headerNamesTheItemInFixedWidthHex() {
        ByteBuffer out = ByteBuffer.allocate(Payload.HEADER_SIZE);
        Payload.writeHeader(out, new ItemId(0xdeadbeef, 0x2a, 7));
        assertEquals("deadbeef:00002a:00000007:", new String(out.array(), StandardCharsets.US_ASCII));
    }

    @Test
    void headerRoundTrips() {
        ItemId item = new ItemId(-1, 0xffffff, Integer.MAX_VALUE);
        ByteBuffer out = ByteBuffer.allocate(Payload.HEADER_SIZE);
        Payload.writeHeader(out, item);
        assertEquals(item, Payload.parseHeader(out.array()));
    }

    @Test
    void malformedHeadersAreRefused() {
        assertNull(parse("DEADBEEF:00002a:00000007:"), "upper case");
        assertNull(parse("deadbeef-00002a:00000007:"), "separator");
        assertNull(parse("deadbeef:00002a:00000007;"), "last separator");
        assertNull(parse("deadbeeg:00002a:00000007:"), "not hex");
        assertNull(parse("deadbeef:00002a:80000000:"), "sequence beyond an int");
        assertNull(parse("deadbeef:00002a:0000007:"), "short");
    }

    @Test
    void fillerShiftsWithTheSequenceNumber() {
        Payload payload = new Payload(64);
        assertEquals("z", text(payload.filler(0, 25, 1)), "offset 25 of item 0");
        assertEquals("abc", text(payload.filler(1, 25, 3)), "offset 25 of item 1");
        assertEquals("ab", text(payload.filler(27, 25, 2)), "26 items later the filler repeats");
        assertEquals(39, payload.filler(5, 25, 39).remaining(), "up to the end of the item");
    }

    private static ItemId parse(String header) {
        return Payload.parseHeader(header.getBytes(StandardCharsets.US_ASCII));
    }

    private static String text(ByteBuffer b) {
        byte[] bytes = new byte[b.remaining()];
        b.duplicate().get(bytes);
        return new String(bytes, StandardCharsets.US_ASCII);
    }
}
