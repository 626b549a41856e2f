package io.darner.loadgen;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Reads the reply to one request as it arrives in pieces and verifies it byte for byte:
 * {@code STORED} for a set; {@code END} (a miss) or {@code VALUE <key> 0 <size>}, a well-formed item
 * and {@code END} for a get, where the key is the queue with the get's options as they were asked
 * ({@code darner.value-key=request}) or the bare queue (Kestrel, Darner, {@code value-key=queue});
 * {@code END} for a close. Item data is compared as it streams in, so a connection never holds
 * more than one reply line, whatever the item size.
 */
final class ReplyReader {
    static final int MAX_LINE = 1024;
    private static final byte[] STORED = ascii("STORED\r\n");
    private static final byte[] END = ascii("END\r\n");
    private static final byte[] TRAILER = ascii("\r\nEND\r\n");

    private enum State { LINE, HEADER, FILLER, TRAILER }

    private final Payload payload;
    /** The VALUE lines a get of each of the connection's queues may be answered with, by slot. */
    private final byte[][] bareValueLines;
    private final byte[][] requestedValueLines;
    private final byte[] line = new byte[MAX_LINE];
    private final byte[] header = new byte[Payload.HEADER_SIZE];
    private Op op;
    private byte[] bareValueLine;
    private byte[] requestedValueLine;
    private State state;
    /** Bytes of the current part read so far; header and filler share it as the offset in the item. */
    private int count;
    private ItemId item;

    ReplyReader(List<String> queues, GetOptions getOptions, Payload payload) {
        this.payload = payload;
        this.bareValueLines = valueLines(queues, "");
        this.requestedValueLines = valueLines(queues, getOptions.suffix());
    }

    private byte[][] valueLines(List<String> queues, String suffix) {
        return queues.stream().map(q -> ascii("VALUE " + q + suffix + " 0 " + payload.size() + "\r\n"))
                .toArray(byte[][]::new);
    }

    /** Starts reading the reply to a new request to the queue in {@code slot}. */
    void expect(Op op, int slot) {
        this.op = op;
        this.bareValueLine = bareValueLines[slot];
        this.requestedValueLine = requestedValueLines[slot];
        state = State.LINE;
        count = 0;
        item = null;
    }

    /**
     * Consumes bytes of the reply from {@code in}, never past its end. Returns the reply once it is
     * complete (an error as soon as a byte is wrong), or null if more bytes are needed.
     */
    Reply read(ByteBuffer in) {
        Reply reply = null;
        while (reply == null && in.hasRemaining()) {
            reply = switch (state) {
                case LINE -> readLine(in);
                case HEADER -> readHeader(in);
                case FILLER -> readFiller(in);
                case TRAILER -> readTrailer(in);
            };
        }
        return reply;
    }

    private Reply readLine(ByteBuffer in) {
        while (in.hasRemaining()) {
            if (count == MAX_LINE) {
                return Reply.error("reply line longer than " + MAX_LINE + " bytes: " + printable(line, 60));
            }
            byte b = in.get();
            line[count++] = b;
            if (b == '\n') {
                return lineComplete();
            }
        }
        return null;
    }

    private Reply lineComplete() {
        if (op == Op.SET) {
            return matches(STORED) ? Reply.STORED : unexpectedLine("STORED");
        }
        if (op == Op.CLOSE) {
            return matches(END) ? Reply.CLOSED : unexpectedLine("END");
        }
        if (matches(END)) {
            return Reply.MISS;
        }
        if (!matches(requestedValueLine) && !matches(bareValueLine)) {
            String expected = printable(requestedValueLine, requestedValueLine.length);
            if (!Arrays.equals(requestedValueLine, bareValueLine)) {
                expected += ", " + printable(bareValueLine, bareValueLine.length);
            }
            return unexpectedLine(expected + " or END");
        }
        state = State.HEADER;
        count = 0;
        return null;
    }

    private Reply readHeader(ByteBuffer in) {
        int n = Math.min(in.remaining(), Payload.HEADER_SIZE - count);
        in.get(header, count, n);
        count += n;
        if (count < Payload.HEADER_SIZE) {
            return null;
        }
        item = Payload.parseHeader(header);
        if (item == null) {
            return Reply.error("malformed item header: " + printable(header, header.length));
        }
        state = State.FILLER;
        return fillerCheckedUpTo(count);
    }

    private Reply readFiller(ByteBuffer in) {
        int n = Math.min(in.remaining(), payload.size() - count);
        int at = in.slice(in.position(), n).mismatch(payload.filler(item.seq(), count, n));
        if (at >= 0) {
            return Reply.error("item " + item + " corrupt at byte " + (count + at) + " of " + payload.size());
        }
        in.position(in.position() + n);
        return fillerCheckedUpTo(count + n);
    }

    private Reply fillerCheckedUpTo(int offset) {
        count = offset;
        if (count == payload.size()) {
            state = State.TRAILER;
            count = 0;
        }
        return null;
    }

    private Reply readTrailer(ByteBuffer in) {
        while (in.hasRemaining()) {
            if (in.get() != TRAILER[count++]) {
                return Reply.error("item " + item + " not followed by exactly \\r\\nEND\\r\\n");
            }
            if (count == TRAILER.length) {
                return Reply.hit(item);
            }
        }
        return null;
    }

    private boolean matches(byte[] expected) {
        return Arrays.equals(line, 0, count, expected, 0, expected.length);
    }

    private Reply unexpectedLine(String expected) {
        return Reply.error(op.word() + " got " + printable(line, count) + ", expected " + expected);
    }

    /** Up to {@code max} bytes as text, with CR, LF and other unprintable bytes escaped. */
    static String printable(byte[] bytes, int max) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < Math.min(bytes.length, max); i++) {
            int c = bytes[i] & 0xff;
            if (c == '\r') {
                b.append("\\r");
            } else if (c == '\n') {
                b.append("\\n");
            } else if (c < 0x20 || c >= 0x7f || c == '\\') {
                b.append(String.format("\\x%02x", c));
            } else {
                b.append((char) c);
            }
        }
        return b.toString();
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
