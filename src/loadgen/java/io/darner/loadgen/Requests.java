package io.darner.loadgen;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * Builds the requests of one connection, to any of its queues (named by their slot in its list),
 * into buffers it reuses. A set is written as three buffers (command line and item header, filler,
 * CRLF); the filler is a view of the shared payload pattern, so no item is ever copied, whatever
 * its size.
 */
final class Requests {
    private final Payload payload;
    private final byte[][] setLines;
    private final byte[][] getLines;
    private final byte[][] closeLines;
    /** The command line (and a set's item header) of the current request. */
    private final ByteBuffer head;
    private final ByteBuffer crlf = ByteBuffer.allocateDirect(2).put(ReplyReader.ascii("\r\n")).flip();
    private final ByteBuffer[] set = new ByteBuffer[3];
    private final ByteBuffer[] line = new ByteBuffer[1];

    Requests(List<String> queues, GetOptions getOptions, Payload payload) {
        this.payload = payload;
        setLines = lines(queues, "set ", " 0 0 " + payload.size());
        getLines = lines(queues, "get ", getOptions.suffix());
        closeLines = lines(queues, "get ", "/close");
        int longest = 0;
        for (byte[][] lines : List.of(setLines, getLines, closeLines)) {
            for (byte[] l : lines) {
                longest = Math.max(longest, l.length);
            }
        }
        head = ByteBuffer.allocateDirect(longest + Payload.HEADER_SIZE);
        line[0] = head;
    }

    /** {@code set <q> 0 0 <size>\r\n<item>\r\n}, ready to write. */
    ByteBuffer[] set(int slot, ItemId item) {
        head.clear().put(setLines[slot]);
        Payload.writeHeader(head, item);
        set[0] = head.flip();
        set[1] = payload.filler(item.seq(), Payload.HEADER_SIZE, payload.size() - Payload.HEADER_SIZE);
        set[2] = crlf.rewind();
        return set;
    }

    /** {@code get <q><get options>\r\n}, ready to write. */
    ByteBuffer[] get(int slot) {
        return line(getLines[slot]);
    }

    /** {@code get <q>/close\r\n}, ready to write. */
    ByteBuffer[] close(int slot) {
        return line(closeLines[slot]);
    }

    private ByteBuffer[] line(byte[] bytes) {
        head.clear().put(bytes).flip();
        return line;
    }

    private static byte[][] lines(List<String> queues, String command, String suffix) {
        return queues.stream().map(q -> ReplyReader.ascii(command + q + suffix + "\r\n")).toArray(byte[][]::new);
    }
}
