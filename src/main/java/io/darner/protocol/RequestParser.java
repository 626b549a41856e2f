package io.darner.protocol;

import java.nio.charset.StandardCharsets;

/**
 * Incremental parser of the memcache queue protocol (spec section 1). Bytes go in with
 * {@link #feed}; {@link #next()} hands out one {@link ParseEvent} at a time, or null when it needs
 * more input. A set hands out its {@link Request.Set}, then its data as {@link DataChunk}s as they
 * arrive (never the whole item at once), then {@link DataEnd}.
 *
 * <p>Memory is bounded: a line longer than {@code maxLine} is refused without waiting for its end,
 * a data length over {@code maxItemSize} is refused before any data is read, and data is handed out
 * as soon as it is here. The caller stops feeding while it does not call {@link #next()}.
 *
 * <p>After an event with {@code close=true} the parser is finished and hands out nothing more.
 */
public final class RequestParser {
    /**
     * Input buffer an idle connection keeps (a larger one, grown for a long burst or a large item,
     * is dropped once everything in it is handed out): 10,000 idle connections hold 5 MB, not 40.
     */
    private static final int KEEP_CAPACITY = 512;
    private static final byte[] EMPTY = new byte[0];

    private enum State { LINE, DATA, DATA_END, CLOSED }

    private final int maxLine;
    private final int maxItemSize;
    private final PlainLines plainLines;

    private byte[] buf = EMPTY;
    private int start;
    private int end;
    /** Where to resume looking for a newline, so a line arriving in pieces is scanned once. */
    private int scanFrom;

    private State state = State.LINE;
    private int dataRemaining;
    /** Set when the data block is only to be skipped; this error is reported after it. */
    private ProtocolError afterData;

    public RequestParser(int maxLine, int maxItemSize) {
        this.maxLine = maxLine;
        this.maxItemSize = maxItemSize;
        this.plainLines = new PlainLines(maxItemSize);
    }

    /** The tests' ways in: {@code data} (or a part of it) as one network read. */
    void feed(byte[] data) {
        feed(data, 0, data.length);
    }

    void feed(byte[] data, int offset, int length) {
        feed(java.nio.ByteBuffer.wrap(data, offset, length));
    }

    /** Takes all remaining bytes of {@code data} (a network buffer, read once, straight in). */
    public void feed(java.nio.ByteBuffer data) {
        if (state == State.CLOSED) {
            return;
        }
        int length = data.remaining();
        ensureRoom(length);
        data.get(buf, end, length);
        end += length;
    }

    /**
     * Room for {@code length} more bytes, for a network buffer to copy itself straight in: write
     * them into the returned array from {@link #writeOffset()}, then {@link #commit} them. Null
     * once the parser is finished (the bytes are to be dropped).
     */
    public byte[] reserve(int length) {
        if (state == State.CLOSED) {
            return null;
        }
        ensureRoom(length);
        return buf;
    }

    /**
     * How many more bytes the buffer holds without a bigger one (after moving what is left to its
     * front): a caller that feeds no more than this, and parses in between, allocates nothing.
     */
    public int room() {
        return Math.max(buf.length, KEEP_CAPACITY) - (end - start);
    }

    /** Where the bytes of {@link #reserve} go. */
    public int writeOffset() {
        return end;
    }

    /** Takes the {@code length} bytes written where {@link #reserve} said. */
    public void commit(int length) {
        end += length;
    }

    /** Bytes received but not handed out yet. */
    public int buffered() {
        return end - start;
    }

    boolean isClosed() {
        return state == State.CLOSED;
    }

    /** True while the data block of a set is being read. */
    boolean inData() {
        return state == State.DATA || state == State.DATA_END;
    }

    public ParseEvent next() {
        switch (state) {
            case LINE:
                return nextLine();
            case DATA:
                return nextData();
            case DATA_END:
                return nextDataEnd();
            default:
                return null;
        }
    }

    private ParseEvent nextLine() {
        int nl = -1;
        for (int i = Math.max(scanFrom, start); i < end; i++) {
            if (buf[i] == '\n') {
                nl = i;
                break;
            }
        }
        if (nl < 0) {
            scanFrom = end;
            if (end - start >= maxLine) {
                return fatal(ProtocolError.client("line too long", true));
            }
            releaseIfDrained();
            return null;
        }
        int lineLength = nl - start + 1;
        if (lineLength > maxLine) {
            return fatal(ProtocolError.client("line too long", true));
        }
        int lineEnd = nl;
        if (lineEnd > start && buf[lineEnd - 1] == '\r') {
            lineEnd--;
        }
        Request plain = plainLines.parse(buf, start, lineEnd);
        if (plain != null) {
            start = nl + 1;
            scanFrom = start;
            if (plain instanceof Request.Set set) {
                beginData(set.bytes(), null);
            }
            return plain;
        }
        String line = new String(buf, start, lineEnd - start, StandardCharsets.ISO_8859_1);
        start = nl + 1;
        scanFrom = start;
        LineParser.Parsed parsed = LineParser.parse(line, maxItemSize);
        ParseEvent event = parsed.event();
        if (event instanceof ProtocolError error && error.close()) {
            return fatal(error);
        }
        if (parsed.skipBytes() >= 0) {
            beginData(parsed.skipBytes(), (ProtocolError) event);
            return next();
        }
        if (event instanceof Request.Set set) {
            beginData(set.bytes(), null);
        }
        return event;
    }

    private void beginData(int bytes, ProtocolError afterData) {
        this.dataRemaining = bytes;
        this.afterData = afterData;
        this.state = bytes == 0 ? State.DATA_END : State.DATA;
    }

    private ParseEvent nextData() {
        int available = end - start;
        if (available == 0) {
            releaseIfDrained();
            return null;
        }
        int n = Math.min(available, dataRemaining);
        int offset = start;
        start += n;
        dataRemaining -= n;
        if (dataRemaining == 0) {
            state = State.DATA_END;
        }
        if (afterData != null) {
            return next();
        }
        return new DataChunk(buf, offset, n);
    }

    private ParseEvent nextDataEnd() {
        if (end - start < 2) {
            if (end - start == 1 && buf[start] != '\r') {
                return fatal(ProtocolError.client("bad data chunk", true));
            }
            return null;
        }
        if (buf[start] != '\r' || buf[start + 1] != '\n') {
            return fatal(ProtocolError.client("bad data chunk", true));
        }
        start += 2;
        scanFrom = start;
        state = State.LINE;
        if (afterData != null) {
            ProtocolError error = afterData;
            afterData = null;
            return error;
        }
        return DataEnd.INSTANCE;
    }

    private ProtocolError fatal(ProtocolError error) {
        state = State.CLOSED;
        start = end = 0;
        buf = new byte[0];
        return error;
    }

    /** Everything received was handed out: start over at the front, and give a grown buffer back. */
    private void releaseIfDrained() {
        if (start == end) {
            start = end = scanFrom = 0;
            if (buf.length > KEEP_CAPACITY) {
                buf = EMPTY;
            }
        }
    }

    private void ensureRoom(int length) {
        if (end + length <= buf.length) {
            return;
        }
        int live = end - start;
        if (live + length <= buf.length && start > 0) {
            System.arraycopy(buf, start, buf, 0, live);
        } else {
            int capacity = Math.max(buf.length, KEEP_CAPACITY);
            while (capacity < live + length) {
                capacity *= 2;
            }
            byte[] bigger = new byte[capacity];
            System.arraycopy(buf, start, bigger, 0, live);
            buf = bigger;
        }
        scanFrom -= start;
        if (scanFrom < 0) {
            scanFrom = 0;
        }
        start = 0;
        end = live;
    }
}
