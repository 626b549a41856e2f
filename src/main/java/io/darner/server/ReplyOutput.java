package io.darner.server;

import io.darner.protocol.Replies;
import io.darner.storage.PendingPut;
import io.netty.buffer.ByteBuf;
import io.vertx.core.net.NetSocket;

import java.util.Arrays;
import java.util.List;

/**
 * A connection's replies on their way out: gathered into one pooled buffer while a burst of
 * pipelined requests is answered, written when the burst ends or the buffer passes
 * {@link #FLUSH_AT}. Whether the client keeps up is the socket's write queue (bounded by
 * {@code darner.max-output-buffer}). On the connection's event loop only.
 *
 * <p>A small buffer, once written, is kept and used again for the next replies: taking a buffer
 * from Netty's pool and giving it back costs more than the bytes of a short reply. Netty releases
 * a buffer when it is written; this keeps one more reference, so a buffer it still holds (the
 * client is slow) is never written into, and is left to Netty while a new one is taken.
 *
 * <p>A set whose item's put waits for the end of the event loop's pass ({@link PendingPut}) has its
 * {@code STORED} gathered as a tentative reply: nothing gathered after it is written before the put
 * is, and if the put fails the reply becomes the failure's {@code SERVER_ERROR}, as a set that
 * failed at once would have.
 */
final class ReplyOutput {
    static final int FLUSH_AT = 16 * 1024;
    /** Written buffers up to this capacity are kept for the next replies; larger ones go back to the pool. */
    static final int KEEP_CAPACITY = 1024;

    private final NetSocket socket;
    private final SocketIo io;
    private final ConnectionStats.Bytes bytes;
    /** Writes the puts that wait for the end of the pass, in one batch. */
    private final Runnable writePending;
    /** Replies not written yet; null when there are none. */
    private ByteBuf out;
    /** The last buffer written, kept to reuse once Netty is done with it; null when none is kept. */
    private ByteBuf written;
    private boolean discarding;
    /** Where each item's {@code VALUE} line is put together, grown to the longest key asked for. */
    private byte[] valueHeader = new byte[64];
    /** The tentative replies in {@link #out}: where each is and the put it waits for (one per put). */
    private PendingPut[] tentativePuts = new PendingPut[4];
    private int[] tentativeStart = new int[4];
    private int[] tentativeEnd = new int[4];
    private int tentatives;
    /** Whether {@link PassEnd} holds this output, to flush it at the end of the pass. */
    boolean atPassEnd;

    ReplyOutput(NetSocket socket, SocketIo io, ConnectionStats.Bytes bytes, Runnable writePending) {
        this.socket = socket;
        this.io = io;
        this.bytes = bytes;
        this.writePending = writePending;
    }

    /**
     * {@code reply} (empty for a set with noreply) depends on {@code puts} being written: held until
     * they are, and replaced by their failure if they fail.
     */
    void tentative(byte[] reply, List<PendingPut> puts) {
        if (discarding) {
            return;
        }
        if (out == null) {
            out = reuseOrNew();
        }
        int start = out.writerIndex();
        out.writeBytes(reply);
        for (PendingPut put : puts) {
            if (tentatives == tentativePuts.length) {
                tentativePuts = Arrays.copyOf(tentativePuts, tentatives * 2);
                tentativeStart = Arrays.copyOf(tentativeStart, tentatives * 2);
                tentativeEnd = Arrays.copyOf(tentativeEnd, tentatives * 2);
            }
            tentativePuts[tentatives] = put;
            tentativeStart[tentatives] = start;
            tentativeEnd[tentatives] = out.writerIndex();
            tentatives++;
        }
    }

    /** Whether a reply gathered waits for a put to be written. */
    boolean hasTentative() {
        return tentatives > 0;
    }

    void reply(byte[] bytes) {
        reply(bytes, bytes.length);
    }

    private void reply(byte[] bytes, int length) {
        if (discarding) {
            return; // no one to read it
        }
        if (out == null) {
            out = reuseOrNew();
        }
        out.writeBytes(bytes, 0, length);
    }

    /** {@code VALUE <key> <flags> <length>}: {@link Replies#valueHeader}, put together in this connection's array. */
    void valueHeader(String key, long flags, int length) {
        int n = Replies.valueHeaderLength(key, flags, length);
        if (n > valueHeader.length) {
            valueHeader = new byte[n];
        }
        Replies.writeValueHeader(key, flags, length, valueHeader);
        reply(valueHeader, n);
    }

    private ByteBuf reuseOrNew() {
        ByteBuf kept = written;
        if (kept != null) {
            written = null;
            if (kept.refCnt() == 1) { // Netty has written it and let go: only this reference is left
                return kept.clear();
            }
            kept.release(); // still queued in the socket: it is Netty's until written
        }
        return io.newReplyBuffer();
    }

    /** Writes what is gathered if it has grown past {@link #FLUSH_AT}. */
    void flushIfLarge() {
        if (out != null && out.readableBytes() >= FLUSH_AT) {
            flush();
        }
    }

    void flush() {
        if (tentatives > 0) {
            settleTentative();
        }
        if (out == null || discarding) {
            return;
        }
        ByteBuf buf = out;
        out = null; // first: a write can call the drain handler at once, which may reply again
        bytes.addWritten(buf.readableBytes());
        if (buf.capacity() <= KEEP_CAPACITY) {
            written = buf.retain();
        }
        io.write(buf);
    }

    /** Waits for the puts the tentative replies depend on; a reply whose put failed becomes its error. */
    private void settleTentative() {
        for (int i = 0; i < tentatives; i++) {
            if (!tentativePuts[i].settled()) {
                writePending.run();
                break;
            }
        }
        ByteBuf patched = null;
        int copied = 0;
        for (int i = 0; i < tentatives; i++) {
            int start = tentativeStart[i];
            if (tentativePuts[i].failure() == null || start < copied) {
                continue; // stored, or its reply already replaced (a set of several puts)
            }
            if (patched == null) {
                patched = io.newReplyBuffer();
            }
            patched.writeBytes(out, copied, start - copied);
            if (tentativeEnd[i] > start) { // not a noreply set
                patched.writeBytes(Replies.serverError(tentativePuts[i].failure().getMessage()));
            }
            copied = tentativeEnd[i];
        }
        if (patched != null) {
            patched.writeBytes(out, copied, out.writerIndex() - copied);
            out.release();
            out = patched;
        }
        Arrays.fill(tentativePuts, 0, tentatives, null);
        tentatives = 0;
    }

    /** Writes one piece of a streamed item as it is, after what is gathered. */
    void writeDirect(byte[] piece) {
        flush();
        bytes.addWritten(piece.length);
        io.write(piece);
    }

    /** Whether the client is behind on reading: write no more until the socket drains. */
    boolean full() {
        return socket.writeQueueFull();
    }

    /** The connection is gone: what is gathered goes back to the pool, later replies nowhere. */
    void discard() {
        discarding = true;
        Arrays.fill(tentativePuts, 0, tentatives, null);
        tentatives = 0;
        if (out != null) {
            out.release();
            out = null;
        }
        if (written != null) {
            written.release();
            written = null;
        }
    }
}
