package io.darner.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.impl.NetSocketInternal;

import java.util.function.Consumer;

/**
 * A session's bytes in and out, through the documented methods of Vert.x's
 * {@link NetSocketInternal} (its message handler and its Netty channel context) rather than
 * {@link NetSocket}'s buffers: received bytes reach the parser straight from Netty's buffer (the
 * buffer API copies them twice first), replies are built in pooled direct buffers that the kernel
 * reads as they are (a heap buffer is copied into one before every write), and reading pauses at
 * the channel at once (auto-read). Writes go down the channel's pipeline from Vert.x's handler, so
 * a TLS handler below it encrypts them, and Vert.x's write-queue accounting (writability) holds.
 * On the connection's event loop only.
 */
final class SocketIo {
    private static final int REPLY_BUFFER_SIZE = 256;

    private final NetSocketInternal internal;
    private final ChannelHandlerContext context;

    SocketIo(NetSocket socket) {
        this.internal = (NetSocketInternal) socket;
        this.context = internal.channelHandlerContext();
    }

    /**
     * Hands every received buffer to {@code onData}, which must take all its bytes before it
     * returns; the buffer goes back to the pool after.
     */
    void onData(Consumer<ByteBuf> onData) {
        internal.messageHandler(msg -> {
            try {
                if (msg instanceof ByteBuf buf) {
                    onData.accept(buf);
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        });
    }

    /** The connection's event loop. */
    EventExecutor loop() {
        return context.executor();
    }

    /** Stops reading from the socket: the kernel's buffers fill, and the client's writes wait. */
    void pauseReading() {
        context.channel().config().setAutoRead(false);
    }

    void resumeReading() {
        context.channel().config().setAutoRead(true);
    }

    /** An empty buffer for replies; it goes back to the pool once written. */
    ByteBuf newReplyBuffer() {
        return context.alloc().directBuffer(REPLY_BUFFER_SIZE);
    }

    /** Writes and gives up {@code buf}, flushing it to the socket. */
    void write(ByteBuf buf) {
        context.writeAndFlush(buf, context.voidPromise());
    }

    void write(byte[] bytes) {
        write(Unpooled.wrappedBuffer(bytes));
    }
}
