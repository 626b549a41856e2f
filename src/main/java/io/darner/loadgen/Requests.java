package io.darner.loadgen;

import java.nio.ByteBuffer;

/**
 * Builds the requests of one connection into buffers it reuses. A set is written as three buffers
 * (command line and item header, filler, CRLF); the filler is a view of the shared payload pattern,
 * so no item is ever copied, whatever its size.
 */
final class Requests {
    private final Payload payload;
    private final int setLineLength;
    private final ByteBuffer setHead;
    private final ByteBuffer crlf = direct(ReplyReader.ascii("\r\n"));
    private final ByteBuffer[] set = new ByteBuffer[3];
    private final ByteBuffer[] get;

    Requests(String queue, Payload payload) {
        this.payload = payload;
        byte[] setLine = ReplyReader.ascii("set " + queue + " 0 0 " + payload.size() + "\r\n");
        setLineLength = setLine.length;
        setHead = ByteBuffer.allocateDirect(setLine.length + Payload.HEADER_SIZE).put(setLine);
        get = new ByteBuffer[] {direct(ReplyReader.ascii("get " + queue + "\r\n"))};
    }

    /** {@code set <q> 0 0 <size>\r\n<item>\r\n}, ready to write. */
    ByteBuffer[] set(ItemId item) {
        setHead.clear().position(setLineLength);
        Payload.writeHeader(setHead, item);
        set[0] = setHead.flip();
        set[1] = payload.filler(item.seq(), Payload.HEADER_SIZE, payload.size() - Payload.HEADER_SIZE);
        set[2] = crlf.rewind();
        return set;
    }

    /** {@code get <q>\r\n}, ready to write. */
    ByteBuffer[] get() {
        get[0].rewind();
        return get;
    }

    private static ByteBuffer direct(byte[] bytes) {
        return ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
    }
}
