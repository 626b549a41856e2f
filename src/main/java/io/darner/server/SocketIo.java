package io.darner.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.core.net.impl.NetSocketInternal;

import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * A session's bytes in and out, through Vert.x's internal socket API rather than {@link NetSocket}'s
 * buffers: received bytes reach the parser straight from Netty's buffer (the public API copies
 * them twice first), replies are built in pooled direct buffers that the kernel reads as they are
 * (a heap buffer is copied into one before every write), and reading pauses at the channel at once.
 * On the connection's event loop only.
 */
final class SocketIo {
    private static final int REPLY_BUFFER_SIZE = 256;

    private final NetSocketInternal internal;
    private final ConnectionBase connection;

    SocketIo(NetSocket socket) {
        this.internal = (NetSocketInternal) socket;
        this.connection = (ConnectionBase) socket;
    }

    /** Hands every received buffer to {@code onData}, which must take all its bytes before it returns. */
    void onData(Consumer<ByteBuffer> onData) {
        internal.messageHandler(msg -> {
            try {
                if (msg instanceof ByteBuf buf) {
                    onData.accept(buf.nioBuffer());
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        });
    }

    /** Stops reading from the socket: the kernel's buffers fill, and the client's writes wait. */
    void pauseReading() {
        connection.doPause();
    }

    void resumeReading() {
        connection.doResume();
    }

    /** An empty buffer for replies; it goes back to the pool when written with {@link #write(ByteBuf)}. */
    ByteBuf newReplyBuffer() {
        return internal.channelHandlerContext().alloc().directBuffer(REPLY_BUFFER_SIZE);
    }

    /** Writes and gives up {@code buf}; flushed at the end of the current read, or at once outside one. */
    void write(ByteBuf buf) {
        connection.writeToChannel(buf);
    }

    void write(byte[] bytes) {
        connection.writeToChannel(Unpooled.wrappedBuffer(bytes));
    }
}
