package io.darner.loadgen;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.List;

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
    private final GetOptions getOptions;
    /** A producer of split mode, until it has told the run it is done. */
    private boolean producer;
    private final boolean consumer;
    /** The connection's queues, by slot: sets and gets each cycle over them round-robin. */
    private final int queues;
    private int nextSetSlot;
    private int nextGetSlot;
    /** Slots of the queues where this connection holds an open read (get options with open). */
    private final boolean[] open;
    private SocketChannel channel;
    /** With --tls: TLS over the channel, which then carries only encrypted bytes. */
    private TlsChannel tls;
    private SelectionKey key;
    private State state = State.IDLE;
    private Phase phase;
    private PhaseStats stats;
    private boolean inPhase;
    private Op op;
    private int slot;
    /** Whether the producers of split mode were all done when the outstanding get was sent. */
    private boolean sentAfterProducers;
    /** Gets in a row, sent after the producers were done, that found their queue empty. */
    private int emptyInARow;
    private ByteBuffer[] unwritten;
    private long sentAt;
    private long deadline;
    private int nextSeq;

    Connection(int index, EventLoop loop, RunContext run) {
        this.index = index;
        this.loop = loop;
        this.run = run;
        Options o = run.options();
        this.script = new Script(o.setsOf(index), o.getsOf(index));
        List<String> names = o.queuesFor(index);
        this.queues = names.size();
        this.open = new boolean[queues];
        this.getOptions = o.getOptions();
        this.requests = new Requests(names, getOptions, run.payload());
        this.reader = new ReplyReader(names, getOptions, run.payload());
        this.check = run.newCheck();
        this.producer = o.mode() == Options.Mode.SPLIT && !o.isConsumer(index);
        this.consumer = o.isConsumer(index);
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
        if (state == State.CONNECTING) {
            connected(); // the TLS handshake goes on
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
        stats.unfinished(script.left() + (state == State.BUSY && op != Op.CLOSE ? 1 : 0));
        run.errors().add("connection " + index + ": " + reason);
        producerDone();
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
            if (run.tls() != null) {
                tls = new TlsChannel(channel, run.tls(), run.options().host(), run.options().port());
            }
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
        if (tls != null && !handshake()) {
            return;
        }
        state = State.IDLE;
        key.interestOps(0);
        finishPhase();
    }

    /** Takes the TLS handshake a step further; true once it is done. */
    private boolean handshake() {
        try {
            if (tls.handshake()) {
                return true;
            }
            key.interestOps(tls.wantsWrite() ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
        } catch (IOException e) {
            fail("TLS handshake failed: " + e);
        }
        return false;
    }

    private void sendNext() {
        if (run.deadline().passed()) {
            script.end(); // --duration: the rest of the share is left undone, not failed
        }
        op = script.next(phase.kind());
        if (op == null && phase.kind() != Phase.Kind.SET) {
            producerDone();
            slot = openSlot();
            op = slot < 0 ? null : Op.CLOSE;
        }
        if (op == null) {
            state = State.IDLE;
            key.interestOps(0);
            finishPhase();
            return;
        }
        switch (op) {
            case SET -> {
                slot = nextSetSlot;
                nextSetSlot = (slot + 1) % queues;
                unwritten = requests.set(slot, new ItemId(run.run(), index, nextSeq++));
            }
            case GET -> {
                slot = nextGetSlot;
                nextGetSlot = (slot + 1) % queues;
                sentAfterProducers = run.producersDone();
                unwritten = requests.get(slot);
            }
            case CLOSE -> unwritten = requests.close(slot);
        }
        reader.expect(op, slot);
        state = State.BUSY;
        sentAt = System.nanoTime();
        deadline = sentAt + run.options().timeoutNanos();
        write();
    }

    private void write() {
        try {
            if (tls == null) {
                channel.write(unwritten);
            } else {
                tls.write(unwritten);
            }
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
        return !unwritten[unwritten.length - 1].hasRemaining() && (tls == null || tls.flushed());
    }

    private void read(ByteBuffer buffer) {
        buffer.clear();
        int n;
        try {
            n = tls == null ? channel.read(buffer) : tls.read(buffer);
        } catch (IOException e) {
            fail("read failed: " + e);
            return;
        }
        if (n == 0) {
            return; // part of a TLS record, or a record without data for us (a session ticket)
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
            if (tls != null && tls.hasBufferedInput()) {
                read(buffer); // records that did not fit into the buffer: the selector will not report them
            }
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
            case MISS -> {
                stats.miss(latency);
                open[slot] = false; // a get with close confirmed the previous read, and opened none
                missed();
            }
            case HIT -> {
                String problem = check.verify(slot, reply.item());
                if (problem != null) {
                    fail(problem);
                    return;
                }
                stats.hit(latency);
                open[slot] = getOptions.opens();
                emptyInARow = 0;
            }
            case CLOSED -> open[slot] = false; // not a get of the share: neither counted nor timed
            case ERROR -> {
                fail(reply.error());
                return;
            }
        }
        sendNext();
    }

    /**
     * In split mode a consumer's share is items taken, so a miss does not count toward it. The
     * consumer stops early once the producers are done and a whole round of gets over its queues
     * found every one empty: nothing more can arrive.
     */
    private void missed() {
        if (!consumer) {
            return;
        }
        emptyInARow = sentAfterProducers ? emptyInARow + 1 : 0;
        if (emptyInARow < queues) {
            script.retryGet();
        } else {
            script.endGets();
        }
    }

    /** A slot where this connection still holds an open read, or -1. */
    private int openSlot() {
        for (int i = 0; i < queues; i++) {
            if (open[i]) {
                return i;
            }
        }
        return -1;
    }

    /** A producer of split mode has made all its sets, or failed: counted once. */
    private void producerDone() {
        if (producer) {
            producer = false; // counted once, even if it fails after finishing
            run.producing().countDown();
        }
    }

    private static String describe(Reply reply) {
        return reply.type() == Reply.Type.ERROR ? reply.error() : reply.type().toString();
    }

    private void finishPhase() {
        inPhase = false;
        phase.finished();
    }
}
