package io.darner.server;

import io.netty.buffer.ByteBuf;
import io.vertx.core.net.NetSocket;

/**
 * A connection's replies on their way out: gathered into one pooled buffer while a burst of
 * pipelined requests is answered, written when the burst ends or the buffer passes
 * {@link #FLUSH_AT}. Whether the client keeps up is the socket's write queue (bounded by
 * {@code darner.max-output-buffer}). On the connection's event loop only.
 */
final class ReplyOutput {
    static final int FLUSH_AT = 16 * 1024;

    private final NetSocket socket;
    private final SocketIo io;
    private final ConnectionStats stats;
    /** Replies not written yet; null when there are none. */
    private ByteBuf out;
    private boolean discarding;

    ReplyOutput(NetSocket socket, SocketIo io, ConnectionStats stats) {
        this.socket = socket;
        this.io = io;
        this.stats = stats;
    }

    void reply(byte[] bytes) {
        if (discarding) {
            return; // no one to read it
        }
        if (out == null) {
            out = io.newReplyBuffer();
        }
        out.writeBytes(bytes);
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
        ByteBuf written = out;
        out = null; // first: a write can call the drain handler at once, which may reply again
        stats.bytesWritten.add(written.readableBytes());
        io.write(written);
    }

    /** Writes one piece of a streamed item as it is, after what is gathered. */
    void writeDirect(byte[] piece) {
        flush();
        stats.bytesWritten.add(piece.length);
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
    }
}
