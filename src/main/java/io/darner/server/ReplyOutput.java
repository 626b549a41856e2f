package io.darner.server;

import io.darner.protocol.Replies;
import io.netty.buffer.ByteBuf;
import io.vertx.core.net.NetSocket;

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
 */
final class ReplyOutput {
    static final int FLUSH_AT = 16 * 1024;
    /** Written buffers up to this capacity are kept for the next replies; larger ones go back to the pool. */
    static final int KEEP_CAPACITY = 1024;

    private final NetSocket socket;
    private final SocketIo io;
    private final ConnectionStats.Bytes bytes;
    /** Replies not written yet; null when there are none. */
    private ByteBuf out;
    /** The last buffer written, kept to reuse once Netty is done with it; null when none is kept. */
    private ByteBuf written;
    private boolean discarding;
    /** Where each item's {@code VALUE} line is put together, grown to the longest key asked for. */
    private byte[] valueHeader = new byte[64];

    ReplyOutput(NetSocket socket, SocketIo io, ConnectionStats.Bytes bytes) {
        this.socket = socket;
        this.io = io;
        this.bytes = bytes;
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
