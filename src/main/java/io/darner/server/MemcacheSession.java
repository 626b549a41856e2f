package io.darner.server;

import io.darner.protocol.DataChunk;
import io.darner.protocol.DataEnd;
import io.darner.protocol.ParseEvent;
import io.darner.protocol.ProtocolError;
import io.darner.protocol.Replies;
import io.darner.protocol.Request;
import io.darner.protocol.RequestParser;
import io.darner.queue.Item;
import io.darner.queue.OpenReads;
import io.darner.queue.PutResult;
import io.darner.queue.QueueRepository;
import io.darner.queue.RepositoryCounters;
import io.darner.queue.RequestTimings;
import io.darner.storage.PendingPuts;
import io.darner.storage.StoreException;
import io.netty.buffer.ByteBuf;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetSocket;
import org.jboss.logging.Logger;

import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

/**
 * One memcache client connection: parses its requests, answers them strictly in order, and writes
 * the replies. The read side (gets, monitor, confirm, open reads, waits) is {@link ReadSide}, the
 * commands about queues and the server as a whole {@link ServerCommands};
 * replies go out through {@link ReplyOutput}, large items through {@link ItemStream}. What the
 * connection is doing is one {@link SessionState}: requests are parsed and answered only while it
 * is READY. A client that does not read its replies is not read either (back-pressure).
 *
 * <p>All state is touched on the connection's event loop only; queues offering items to a waiting
 * get hand over with {@code runOnContext}.
 */
final class MemcacheSession implements ReadReplies {
    private static final Logger LOG = Logger.getLogger(MemcacheSession.class);
    /** Store errors may come with every request while a disk is full: logged at most every 10 s. */
    private static final ThrottledLog STORE_ERRORS = new ThrottledLog(LOG, 10_000);
    private static final ThrottledLog UNEXPECTED = new ThrottledLog(LOG, 10_000);
    /**
     * Input held unparsed, while busy or while the client does not read its replies, before the
     * socket stops being read. Reading on until then bounds memory and still notices a client that
     * hangs up while it waits (a blocked get must be rolled back).
     */
    private static final int HOLD_AT = 16 * 1024;
    /** How long a large item's data waits when the store is behind on compaction, before it asks again. */
    private static final long LARGE_ITEM_HOLD_MS = 5;

    private final NetSocket socket;
    private final SocketIo io;
    private final ReplyOutput output;
    private final Vertx vertx;
    private final Context context;
    private final QueueRepository repo;
    private final RepositoryCounters counters;
    private final ServerSettings settings;
    private final ConnectionStats stats;
    /** This event loop's byte counters. */
    private final ConnectionStats.Bytes bytes;
    private final long startedAtMs;
    private final RequestParser parser;
    private final ReadSide reads;
    private final ServerCommands commands;
    private final Consumer<MemcacheSession> onEnd;
    private final RequestTimings timings;
    private final PassEnd passEnd;
    /** The puts of the set being stored that wait for the end of the pass. */
    private final PendingPuts.Collector deferred = new PendingPuts.Collector();

    /** Volatile: queues read it from their threads before offering an item. */
    private volatile SessionState state = SessionState.READY;
    /** Whether the socket is not being read (too much input held). */
    private boolean paused;
    private IncomingSet incoming;
    private ItemStream streaming;
    /** What resumes once the client has read its replies (a long monitor). */
    private Runnable afterDrain;

    MemcacheSession(NetSocket socket, Vertx vertx, QueueRepository repo, ServerSettings settings, ConnectionStats stats,
                    long startedAtMs, RequestTimings timings, Consumer<MemcacheSession> onEnd) {
        this.timings = timings.forThisThread(); // created on the connection's event loop
        this.onEnd = onEnd;
        this.socket = socket;
        this.io = new SocketIo(socket);
        this.bytes = stats.bytesOfThisThread();
        this.output = new ReplyOutput(socket, io, bytes, repo::writePendingPuts);
        this.passEnd = PassEnd.ofThisLoop(io.loop());
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.repo = repo;
        this.counters = repo.counters();
        this.settings = settings;
        this.stats = stats;
        this.startedAtMs = startedAtMs;
        this.parser = new RequestParser(settings.maxLine(), settings.maxItemSize());
        OpenReads.Timers timers = new OpenReads.Timers() {
            @Override
            public long schedule(long delayMs, Runnable task) {
                return vertx.setTimer(delayMs, id -> task.run());
            }

            @Override
            public void cancel(long id) {
                vertx.cancelTimer(id);
            }
        };
        this.commands = new ServerCommands(repo, settings, stats, startedAtMs, output, this::closeAfterReplies,
                this::afterDurable);
        this.reads = new ReadSide(repo, this.timings, settings, timers,
                task -> context.runOnContext(v -> task.run()), this);
    }

    void start() {
        socket.setWriteQueueMaxSize(settings.maxOutputBuffer());
        io.onData(this::onData);
        socket.drainHandler(v -> onDrain());
        socket.exceptionHandler(e -> socket.close());
        socket.closeHandler(v -> onClosed());
    }

    Context context() {
        return context;
    }

    /**
     * Copies the read into the parser (once, from Netty's buffer) in slices its buffer holds as it
     * is, parsing between them: a read longer than that buffer, such as a set of a 1 KiB item, needs
     * no bigger buffer allocated for it. What cannot be parsed now (a reply waits, a line is longer
     * than the buffer) goes in whole.
     */
    private void onData(ByteBuf data) {
        int left = data.readableBytes();
        bytes.addRead(left);
        int at = data.readerIndex();
        while (left > 0) {
            int room = parser.room();
            int n = room > 0 && canParse() ? Math.min(left, room) : left;
            byte[] into = parser.reserve(n);
            if (into == null) {
                break; // the parser is finished: the rest is dropped
            }
            data.getBytes(at, into, parser.writeOffset(), n);
            parser.commit(n);
            at += n;
            left -= n;
            if (left > 0) {
                parse();
            }
        }
        pump();
    }

    private boolean canParse() {
        return state == SessionState.READY && !output.full();
    }

    private void onDrain() {
        if (state == SessionState.STREAMING) {
            resumeStream();
            return;
        }
        if (state == SessionState.WAITING_FOR_DRAIN) {
            Runnable next = afterDrain;
            afterDrain = null;
            state = SessionState.READY;
            next.run();
        }
        pump();
    }

    /** Handles parsed requests until input runs out, a reply goes asynchronous, or output is full. */
    private void pump() {
        parse();
        finishPump();
    }

    /** The requests the parser holds, handled until it needs more input or handling must wait. */
    private void parse() {
        while (canParse()) {
            if (incoming != null && incoming.isLarge() && parser.buffered() > 0 && repo.storeBehind()) {
                holdLargeItem();
                break;
            }
            try {
                ParseEvent event = parser.next();
                if (event == null) {
                    break;
                }
                handle(event);
            } catch (UncheckedIOException e) {
                STORE_ERRORS.warn("store error: " + e.getMessage());
                output.reply(Replies.serverError(e.getMessage()));
            } catch (RuntimeException | LinkageError e) {
                // a bug, or a class that cannot be loaded (no file descriptor left to open a jar): the
                // request's state is unknown, so the client is told and the connection closed, which
                // rolls back what it held; otherwise the client would wait for a reply forever
                UNEXPECTED.error("unexpected error, connection closed", e);
                output.reply(Replies.serverError("internal error"));
                closeAfterReplies();
            }
            output.flushIfLarge();
        }
    }

    /** Sends what the handled requests replied, and pauses or resumes reading. */
    private void finishPump() {
        if (output.hasTentative()) {
            passEnd.flush(output, repo); // its replies wait for the puts of the pass
        } else {
            output.flush();
        }
        boolean shouldPause = (state != SessionState.READY || output.full()) && parser.buffered() >= HOLD_AT;
        if (shouldPause != paused && state != SessionState.CLOSED) {
            paused = shouldPause;
            if (paused) {
                io.pauseReading();
            } else {
                io.resumeReading();
            }
        }
    }

    private void handle(ParseEvent event) {
        if (event instanceof DataChunk chunk) {
            incoming.write(chunk.buf(), chunk.offset(), chunk.length());
        } else if (event instanceof DataEnd) {
            finishSet();
        } else if (event instanceof ProtocolError error) {
            output.reply(Replies.line(error.reply()));
            if (error.close()) {
                closeAfterReplies();
            }
        } else {
            handleRequest((Request) event);
        }
    }

    private void handleRequest(Request r) {
        if (r instanceof Request.Set set) {
            beginSet(set);
        } else if (r instanceof Request.Get get) {
            if (get.keys().size() == 1) {
                reads.get(get.single());
            } else {
                reads.multiGet(get.keys(), 0);
            }
        } else if (r instanceof Request.Confirm confirm) {
            reads.confirm(confirm.queue(), confirm.count());
        } else if (r instanceof Request.Touch touch) {
            reads.touch(touch);
        } else if (r instanceof Request.Monitor monitor) {
            reads.monitor(monitor.queue(), monitor.seconds(), monitor.max());
        } else if (r instanceof Request.Quit) {
            closeAfterReplies();
        } else {
            commands.handle(r);
        }
    }

    // ---- set

    private void beginSet(Request.Set set) {
        counters.cmdSet.increment();
        String refusal = repo.status().writeRefusal();
        incoming = refusal == null ? new IncomingSet(set, repo.beginItem(set.bytes()), null)
                : new IncomingSet(set, null, refusal);
    }

    private void finishSet() {
        IncomingSet in = incoming;
        incoming = null;
        Request.Set set = in.request();
        long started = System.nanoTime();
        byte[] reply = storeSet(in, set, started);
        if (reply != null) {
            answerSet(set, reply, started);
        }
    }

    /**
     * Stores the set's item: its reply, or null when it is answered already (a {@code STORED} held
     * until its puts are written at the end of the pass) or will be once the item is durable.
     */
    private byte[] storeSet(IncomingSet in, Request.Set set, long started) {
        if (in.refusal() != null) {
            return Replies.serverError(in.refusal());
        }
        PutResult result = null;
        String failure = null;
        deferred.clear(); // of a set that ended in a bug: its puts are written at the pass end as any
        PendingPuts.collectInto(deferred); // small puts wait for the end of the pass: see PassEnd
        try {
            result = in.intake().finish(set.queue(), set.flags(), set.exptime(), set.delayMs());
        } catch (UncheckedIOException e) {
            failure = e.getMessage(); // fanout copies put before the failure still wait: written as any
        } finally {
            PendingPuts.endCollecting();
            if (!deferred.isEmpty()) {
                passEnd.write(repo);
            }
        }
        try {
            if (failure != null) {
                return Replies.serverError(failure);
            }
            if (result != PutResult.STORED) {
                return Replies.NOT_STORED;
            }
            CompletableFuture<Void> durable = repo.durability(set.queue(), set.sync());
            if (durable == null) {
                if (deferred.isEmpty() || set.noreply()) {
                    return Replies.STORED;
                }
                output.tentative(Replies.STORED, deferred.puts()); // goes out once the puts are written
                timings.setAnswered(System.nanoTime() - started);
                return null;
            }
            StoreException failed = deferred.failure(); // the sync wrote the waiting puts first
            if (failed != null) {
                return Replies.serverError(failed.getMessage());
            }
            afterDurable(durable, () -> answerSet(set, Replies.STORED, started));
            return null;
        } finally {
            deferred.clear();
        }
    }

    private void answerSet(Request.Set set, byte[] reply, long started) {
        if (!set.noreply()) {
            output.reply(reply);
        }
        timings.setAnswered(System.nanoTime() - started);
    }

    /**
     * Stops taking in a large item's data for a moment, while the store's compaction catches up
     * (the socket stops being read once a little input is held): small sets on every connection
     * keep their latency, the large item goes at the speed the store can take.
     */
    private void holdLargeItem() {
        state = SessionState.HOLDING_INPUT;
        vertx.setTimer(LARGE_ITEM_HOLD_MS, id -> {
            if (state == SessionState.HOLDING_INPUT) {
                state = SessionState.READY;
                pump();
            }
        });
    }

    // ---- the read side's replies

    @Override
    public void value(String key, Item item, boolean consistent, Runnable settle, Runnable undo) {
        output.valueHeader(key, item.flags(), item.length());
        if (!item.isLarge()) {
            output.reply(item.smallData());
            output.reply(Replies.CRLF);
            settle.run();
            return;
        }
        output.flush();
        streaming = new ItemStream(repo.read(item, consistent), output, () -> {
            output.reply(Replies.CRLF);
            settle.run();
        }, undo);
        state = SessionState.STREAMING;
        resumeStream();
    }

    private void resumeStream() {
        ItemStream stream = streaming;
        boolean done;
        try {
            done = stream.resume();
        } catch (UncheckedIOException e) {
            STORE_ERRORS.warn("cannot finish sending an item: " + e.getMessage());
            streaming = null;
            state = SessionState.CLOSING;
            socket.close();
            return;
        }
        if (done) {
            streaming = null;
            if (state == SessionState.STREAMING) {
                state = SessionState.READY;
            }
            stream.settle(); // may stream the next item, or wait, before the next request
            pump();
        }
    }

    @Override
    public void end() {
        output.reply(Replies.END);
    }

    @Override
    public void refuse() {
        output.reply(Replies.ERROR);
        closeAfterReplies();
    }

    @Override
    public void error() {
        output.reply(Replies.ERROR);
    }

    @Override
    public void touched(boolean found) {
        output.reply(found ? Replies.TOUCHED : Replies.NOT_FOUND);
    }

    @Override
    public void failed(String reason) {
        output.reply(Replies.serverError(reason));
    }

    /** Holds this and later requests until the store says the writes so far are on disk. */
    @Override
    public void afterDurable(CompletableFuture<Void> durable, Runnable then) {
        state = SessionState.WAITING_FOR_DISK;
        durable.whenComplete((v, e) -> context.runOnContext(x -> {
            if (state != SessionState.WAITING_FOR_DISK) {
                return; // the connection ended meanwhile
            }
            state = SessionState.READY;
            if (e == null) {
                then.run();
            } else {
                Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                output.reply(Replies.serverError(cause.getMessage()));
            }
            pump();
        }));
    }

    @Override
    public void waiting() {
        state = SessionState.WAITING_FOR_ITEM;
    }

    @Override
    public void waitOver() {
        if (state == SessionState.WAITING_FOR_ITEM) {
            state = SessionState.READY;
        }
    }

    @Override
    public void goOn() {
        pump();
    }

    @Override
    public boolean behind() {
        return output.full();
    }

    @Override
    public void afterDrain(Runnable next) {
        output.flush();
        state = SessionState.WAITING_FOR_DRAIN;
        afterDrain = next;
    }

    @Override
    public void flushIfLarge() {
        output.flushIfLarge();
    }

    @Override
    public boolean gone() {
        return state == SessionState.CLOSED;
    }

    // ---- lifecycle

    private void closeAfterReplies() {
        output.flush();
        state = SessionState.CLOSING;
        socket.close();
    }

    /** The connection ended, for whatever reason: roll back everything it held. */
    private void onClosed() {
        if (state == SessionState.CLOSED) {
            return;
        }
        state = SessionState.CLOSED;
        stats.current.decrementAndGet();
        output.discard();
        if (incoming != null) {
            incoming.abort();
            incoming = null;
        }
        if (streaming != null) {
            streaming.abort();
            streaming = null;
        }
        reads.connectionEnded();
        onEnd.accept(this);
    }

    /** The server is stopping: a blocked get gets its end, then the connection closes. */
    void stopServing() {
        reads.stopWaiting();
        closeAfterReplies();
    }
}
