package io.darner.loadgen;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * One client connection. It makes one request at a time (no pipelining, so a request's latency is
 * its round trip), verifies every reply, and stops at its first error: after a wrong reply the
 * byte stream can no longer be trusted. All its methods run on its event loop's thread.
 */
final class Connection {
    private enum State { CONNECTING, IDLE, BUSY, CLOSED }

    private final int index;
    private final EventLoop loop;
    private final RunContext run;
    private final Script script;
    private final Requests requests;
    private final ReplyReader reader;
    private final DeliveryCheck check;
    private SocketChannel channel;
    private SelectionKey key;
    private State state = State.IDLE;
    private Phase phase;
    private PhaseStats stats;
    private boolean inPhase;
    private Op op;
    private ByteBuffer[] unwritten;
    private long sentAt;
    private long deadline;
    private int nextSeq;

    Connection(int index, EventLoop loop, RunContext run) {
        this.index = index;
        this.loop = loop;
        this.run = run;
        Options o = run.options();
        this.script = new Script(Script.share(o.sets(), o.connections(), index),
                Script.share(o.gets(), o.connections(), index));
        String queue = o.queueFor(index);
        this.requests = new Requests(queue, run.payload());
        this.reader = new ReplyReader(queue, run.payload());
        this.check = run.newCheck();
    }

    /** Takes part in a phase: connects, or makes this connection's requests of the phase. */
    void start(Phase phase) {
        this.phase = phase;
        this.stats = loop.stats(phase.index());
        inPhase = true;
        if (state == State.CLOSED) {
            finishPhase();
        } else if (phase.kind() == Phase.Kind.CONNECT) {
            connect();
        } else {
            sendNext();
        }
    }

    /** Handles readiness reported by the selector. */
    void onReady(SelectionKey ready, ByteBuffer readBuffer) {
        if (state == State.CLOSED) {
            return;
        }
        if (ready.isConnectable()) {
            finishConnect();
            return;
        }
        if (ready.isWritable()) {
            write();
        }
        if (state != State.CLOSED && ready.isReadable()) {
            read(readBuffer);
        }
    }

    /** Fails the connection if it has waited too long for a connect or a reply. */
    void checkTimeout(long now) {
        if ((state == State.CONNECTING || state == State.BUSY) && now - deadline > 0) {
            fail(String.format("timed out after %ss waiting for %s", run.options().timeoutSeconds(),
                    state == State.CONNECTING ? "connect" : "the reply to a " + op.word()));
        }
    }

    /** Counts an error, closes the connection and gives up its remaining requests. */
    void fail(String reason) {
        if (state == State.CLOSED) {
            return;
        }
        stats.error();
        run.errors().add("connection " + index + ": " + reason);
        close();
        if (inPhase) {
            finishPhase();
        }
    }

    void close() {
        state = State.CLOSED;
        if (channel != null) {
            try {
                channel.close(); // also cancels the key
            } catch (IOException e) {
                // closing anyway; nothing left to report it to
            }
        }
    }

    private void connect() {
        state = State.CONNECTING;
        deadline = System.nanoTime() + run.options().timeoutNanos();
        try {
            channel = SocketChannel.open();
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            key = channel.register(loop.selector(), SelectionKey.OP_CONNECT, this);
            if (channel.connect(run.address())) {
                connected();
            }
        } catch (IOException e) {
            fail("connect failed: " + e);
        }
    }

    private void finishConnect() {
        try {
            if (channel.finishConnect()) {
                connected();
            }
        } catch (IOException e) {
            fail("connect failed: " + e);
        }
    }

    private void connected() {
        state = State.IDLE;
        key.interestOps(0);
        finishPhase();
    }

    private void sendNext() {
        op = script.next(phase.kind());
        if (op == null) {
            state = State.IDLE;
            key.interestOps(0);
            finishPhase();
            return;
        }
        unwritten = op == Op.SET
                ? requests.set(new ItemId(run.run(), index, nextSeq++))
                : requests.get();
        reader.expect(op);
        state = State.BUSY;
        sentAt = System.nanoTime();
        deadline = sentAt + run.options().timeoutNanos();
        write();
    }

    private void write() {
        try {
            channel.write(unwritten);
        } catch (IOException e) {
            fail("write failed: " + e);
            return;
        }
        // Read while still writing, so an early error reply (say, item too large) is seen.
        int interest = requestWritten() ? SelectionKey.OP_READ : SelectionKey.OP_READ | SelectionKey.OP_WRITE;
        if (key.interestOps() != interest) {
            key.interestOps(interest);
        }
    }

    private boolean requestWritten() {
        return !unwritten[unwritten.length - 1].hasRemaining();
    }

    private void read(ByteBuffer buffer) {
        buffer.clear();
        int n;
        try {
            n = channel.read(buffer);
        } catch (IOException e) {
            fail("read failed: " + e);
            return;
        }
        if (n < 0) {
            fail(state == State.BUSY ? "server closed the connection before replying to a " + op.word()
                    : "server closed the connection");
            return;
        }
        if (state != State.BUSY) {
            fail("server sent bytes while no request was outstanding");
            return;
        }
        buffer.flip();
        Reply reply = reader.read(buffer);
        if (reply == null) {
            return;
        }
        long latency = System.nanoTime() - sentAt;
        if (!requestWritten()) {
            fail("server replied before the " + op.word() + " was fully sent: " + describe(reply));
        } else if (reply.type() != Reply.Type.ERROR && buffer.hasRemaining()) {
            // An error stops reading mid-reply, so only after a good reply are leftover bytes a fault.
            fail("server sent bytes after the reply to a " + op.word());
        } else {
            accept(reply, latency);
        }
    }

    private void accept(Reply reply, long latency) {
        switch (reply.type()) {
            case STORED -> stats.stored(latency);
            case MISS -> stats.miss(latency);
            case HIT -> {
                String problem = check.verify(reply.item());
                if (problem != null) {
                    fail(problem);
                    return;
                }
                stats.hit(latency);
            }
            case ERROR -> {
                fail(reply.error());
                return;
            }
        }
        sendNext();
    }

    private static String describe(Reply reply) {
        return reply.type() == Reply.Type.ERROR ? reply.error() : reply.type().toString();
    }

    private void finishPhase() {
        inPhase = false;
        phase.finished();
    }
}
