package io.darner.server;

import io.darner.protocol.DataChunk;
import io.darner.protocol.DataEnd;
import io.darner.protocol.GetKey;
import io.darner.protocol.ParseEvent;
import io.darner.protocol.ProtocolError;
import io.darner.protocol.Replies;
import io.darner.protocol.Request;
import io.darner.protocol.RequestParser;
import io.darner.queue.Delivery;
import io.darner.queue.OpenReads;
import io.darner.queue.PutResult;
import io.darner.queue.Queue;
import io.darner.queue.QueueRepository;
import io.darner.queue.QueueStats;
import io.darner.queue.RepositoryCounters;
import io.darner.queue.RequestTimings;
import io.darner.queue.ServerStatus;
import io.darner.storage.ChunkReader;
import io.darner.storage.ItemRecord;
import io.darner.storage.QueueStore;
import io.darner.storage.StoreException;
import io.quarkus.runtime.Quarkus;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.netty.buffer.ByteBuf;
import io.vertx.core.net.NetSocket;
import org.jboss.logging.Logger;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.Consumer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * One client connection. Requests are answered strictly in order: while one is answered
 * asynchronously (a blocking get, an fsync, a large item streaming out) the session is "busy",
 * stops parsing and stops reading the socket. Replies of a burst of pipelined requests are written
 * together. A client that does not read its replies is not read either (back-pressure).
 *
 * <p>All state is touched on the connection's event loop only; waiters are called from other
 * threads and hand over with {@code runOnContext}.
 */
final class Session {
    private static final Logger LOG = Logger.getLogger(Session.class);
    /** Store errors may come with every request while a disk is full: logged at most every 10 s. */
    private static final ThrottledLog STORE_ERRORS = new ThrottledLog(LOG, 10_000);
    private static final ThrottledLog UNEXPECTED = new ThrottledLog(LOG, 10_000);
    private static final int FLUSH_AT = 16 * 1024;
    /**
     * Input held unparsed, while busy or while the client does not read its replies, before the
     * socket stops being read. Reading on until then bounds memory and still notices a client that
     * hangs up while it waits (a blocked get must be rolled back).
     */
    private static final int HOLD_AT = 16 * 1024;
    /** How long a large item's data waits when the store is behind on compaction, before it asks again. */
    private static final long LARGE_ITEM_HOLD_MS = 5;
    private static final byte[] CRLF_END = "\r\nEND\r\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);

    private final NetSocket socket;
    private final SocketIo io;
    private final Vertx vertx;
    private final Context context;
    private final QueueRepository repo;
    private final RepositoryCounters counters;
    private final ServerSettings settings;
    private final ConnectionStats stats;
    private final long startedAtMs;
    private final RequestParser parser;
    private final OpenReads openReads;
    private final Consumer<Session> onEnd;
    private final RequestTimings timings;

    /** Replies not written yet; null when there are none. */
    private ByteBuf out;
    private boolean busy;
    private boolean closing;
    private volatile boolean gone;
    private boolean paused;
    private ItemReceiver receiving;
    private PendingGet waiting;
    private ItemStream streaming;
    /** What resumes once the client has read its replies (a long monitor). */
    private Runnable afterDrain;

    Session(NetSocket socket, Vertx vertx, QueueRepository repo, ServerSettings settings, ConnectionStats stats,
            long startedAtMs, RequestTimings timings, Consumer<Session> onEnd) {
        this.timings = timings;
        this.onEnd = onEnd;
        this.socket = socket;
        this.io = new SocketIo(socket);
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.repo = repo;
        this.counters = repo.counters();
        this.settings = settings;
        this.stats = stats;
        this.startedAtMs = startedAtMs;
        this.parser = new RequestParser(settings.maxLine(), settings.maxItemSize());
        this.openReads = new OpenReads(settings.maxOpenReads(), new OpenReads.Timers() {
            @Override
            public long schedule(long delayMs, Runnable task) {
                return vertx.setTimer(delayMs, id -> task.run());
            }

            @Override
            public void cancel(long id) {
                vertx.cancelTimer(id);
            }
        });
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

    boolean isGone() {
        return gone;
    }

    private void onData(ByteBuffer data) {
        stats.bytesRead.add(data.remaining());
        parser.feed(data);
        pump();
    }

    private void onDrain() {
        if (streaming != null) {
            streaming.resume();
            return;
        }
        Runnable next = afterDrain;
        if (next != null) {
            afterDrain = null;
            busy = false;
            next.run();
        }
        pump();
    }

    /** Handles parsed requests until input runs out, a reply goes asynchronous, or output is full. */
    private void pump() {
        while (!busy && !closing && !gone && !socket.writeQueueFull()) {
            if (receiving != null && receiving.isLarge() && parser.buffered() > 0 && repo.storeBehind()) {
                holdLargeItem();
                break;
            }
            try {
                ParseEvent event = parser.next();
                if (event == null) {
                    break;
                }
                handle(event);
            } catch (StoreException e) {
                STORE_ERRORS.warn("store error: " + e.getMessage());
                reply(Replies.serverError(e.getMessage()));
            } catch (RuntimeException | LinkageError e) {
                // a bug, or a class that cannot be loaded (no file descriptor left to open a jar): the
                // request's state is unknown, so the client is told and the connection closed, which
                // rolls back what it held; otherwise the client would wait for a reply forever
                UNEXPECTED.error("unexpected error, connection closed", e);
                reply(Replies.serverError("internal error"));
                closeAfterReplies();
            }
            if (out != null && out.readableBytes() >= FLUSH_AT) {
                flush();
            }
        }
        flush();
        boolean shouldPause = (busy || socket.writeQueueFull()) && parser.buffered() >= HOLD_AT;
        if (shouldPause != paused && !gone) {
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
            receiving.write(chunk);
        } else if (event instanceof DataEnd) {
            finishSet();
        } else if (event instanceof ProtocolError error) {
            reply(Replies.line(error.reply()));
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
                get(get.single());
            } else {
                multiGet(get.keys(), 0);
            }
        } else if (r instanceof Request.Delete delete) {
            if (writable()) {
                repo.delete(delete.queue());
                reply(Replies.DELETED);
            }
        } else if (r instanceof Request.Flush flush) {
            if (writable()) {
                repo.flush(flush.queue());
                reply(Replies.END);
            }
        } else if (r instanceof Request.FlushAll flushAll) {
            if (writable()) {
                repo.flushAll();
                if (!flushAll.noreply()) {
                    reply(Replies.FLUSHED_ALL);
                }
            }
        } else if (r instanceof Request.Stats) {
            StatsReport.global(repo, stats, startedAtMs, settings.version(), (k, v) -> reply(Replies.stat(k, v)));
            reply(Replies.END);
        } else if (r instanceof Request.DumpStats dump) {
            dumpStats(dump.queues());
        } else if (r instanceof Request.Version) {
            reply(Replies.version(settings.version()));
        } else if (r instanceof Request.Confirm confirm) {
            confirm(confirm);
        } else if (r instanceof Request.Monitor monitor) {
            monitor(monitor);
        } else if (r instanceof Request.FlushExpired flushExpired) {
            if (writable()) {
                reply(Replies.number(repo.flushExpired(flushExpired.queue())));
            }
        } else if (r instanceof Request.FlushAllExpired) {
            if (writable()) {
                reply(Replies.number(repo.flushAllExpired()));
            }
        } else if (r instanceof Request.Status status) {
            status(status);
        } else if (r instanceof Request.Shutdown) {
            shutdown();
        } else if (r instanceof Request.Quit) {
            closeAfterReplies();
        } else {
            reply(Replies.ERROR); // Request.Unknown: memcached's answer, connection kept
        }
    }

    // ---- set

    private void beginSet(Request.Set set) {
        counters.cmdSet.increment();
        String refusal = repo.status().allowsWrites() ? null : "server is read-only";
        boolean large = refusal == null && set.bytes() > QueueStore.CHUNK_SIZE;
        receiving = new ItemReceiver(set, refusal, large ? repo.newBlob() : null);
    }

    private void finishSet() {
        ItemReceiver r = receiving;
        receiving = null;
        long started = System.nanoTime();
        Consumer<byte[]> answer = reply -> {
            replyUnless(r.set.noreply(), reply);
            timings.setAnswered(System.nanoTime() - started);
        };
        if (r.refusal() != null) {
            answer.accept(Replies.serverError(r.refusal()));
            return;
        }
        PutResult result;
        try {
            result = repo.put(r.set.queue(), r.record(System.currentTimeMillis()), r.blob());
        } catch (StoreException e) {
            answer.accept(Replies.serverError(e.getMessage()));
            return;
        }
        if (result != PutResult.STORED) {
            answer.accept(Replies.NOT_STORED);
            return;
        }
        CompletableFuture<Void> durable = repo.durability(r.set.queue(), r.set.sync());
        if (durable == null) {
            answer.accept(Replies.STORED);
        } else {
            afterDurable(durable, () -> answer.accept(Replies.STORED));
        }
    }

    /**
     * Stops taking in a large item's data for a moment, while the store's compaction catches up
     * (the socket stops being read once a little input is held): small sets on every connection
     * keep their latency, the large item goes at the speed the store can take.
     */
    private void holdLargeItem() {
        busy = true;
        vertx.setTimer(LARGE_ITEM_HOLD_MS, id -> {
            busy = false;
            if (!gone) {
                pump();
            }
        });
    }

    /** Holds this and later requests until the store says the writes so far are on disk. */
    private void afterDurable(CompletableFuture<Void> durable, Runnable reply) {
        busy = true;
        durable.whenComplete((v, e) -> context.runOnContext(x -> {
            busy = false;
            if (gone) {
                return;
            }
            if (e == null) {
                reply.run();
            } else {
                Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                reply(Replies.serverError(cause.getMessage()));
            }
            pump();
        }));
    }

    // ---- get

    private void get(GetKey key) {
        String name = key.queue();
        if (!key.fetches()) {
            repo.getOrCreate(name); // any form of get creates its queue (spec 2), close or abort alone too
        }
        if (key.abort()) {
            openReads.abortOldest(name);
            reply(Replies.END);
            return;
        }
        boolean confirmed = key.close() && openReads.confirmOldest(name);
        if (!key.fetches()) {
            if (confirmed && repo.syncsAlways(name)) {
                afterDurable(repo.durability(name, true), () -> reply(Replies.END));
            } else {
                reply(Replies.END);
            }
            return;
        }
        if (!repo.status().allowsReads()) {
            reply(Replies.serverError("server is quiescent"));
            return;
        }
        if ((key.plainTake() && openReads.count(name) > 0) || (key.open() && !openReads.canOpen(name))) {
            reply(Replies.ERROR);
            closeAfterReplies();
            return;
        }
        if (key.peek()) {
            counters.cmdPeek.increment();
        } else {
            counters.cmdGet.increment();
        }
        Queue queue = repo.getOrCreate(name);
        long started = System.nanoTime();
        Runnable endTimed = () -> {
            reply(Replies.END);
            timings.getAnswered(System.nanoTime() - started); // a get that waited is not timed: its time is the producer's
        };
        if (key.peek()) {
            ItemRecord head = queue.peek();
            if (head != null) {
                send(settings.valueKey(key), head, true, endTimed, () -> { });
                return;
            }
        }
        Delivery d;
        if (key.timeoutMs() > 0) {
            PendingGet wait = new PendingGet(this, queue, item -> deliverOne(item, key, () -> reply(Replies.END)),
                    () -> {
                        counters.getMisses.increment();
                        reply(Replies.END);
                    });
            d = queue.takeOrWait(wait, key.open());
            if (d == null) {
                startWaiting(wait, key.timeoutMs());
                return;
            }
        } else {
            d = key.peek() ? null : queue.take(key.open());
        }
        if (d == null) {
            counters.getMisses.increment();
            endTimed.run();
        } else {
            deliverOne(d, key, endTimed);
        }
    }

    /** A plain take from each queue, in order; resumes here after an item that streamed. */
    private void multiGet(List<GetKey> keys, int from) {
        if (from == 0 && !repo.status().allowsReads()) {
            reply(Replies.serverError("server is quiescent"));
            return;
        }
        // refused as a whole before anything is taken: an item must not go out in a reply ending in ERROR
        if (from == 0 && keys.stream().anyMatch(key -> openReads.count(key.queue()) > 0)) {
            reply(Replies.ERROR);
            closeAfterReplies();
            return;
        }
        for (int i = from; i < keys.size(); i++) {
            GetKey key = keys.get(i);
            counters.cmdGet.increment();
            Delivery d = repo.getOrCreate(key.queue()).take(false);
            if (d == null) {
                counters.getMisses.increment();
                continue;
            }
            int next = i + 1;
            deliver(d, key, () -> multiGet(keys, next));
            return;
        }
        reply(Replies.END);
    }

    private void startWaiting(PendingGet wait, long timeoutMs) {
        waiting = wait;
        busy = true;
        wait.timerId = vertx.setTimer(timeoutMs, id -> onWaitTimeout(wait));
    }

    private void onWaitTimeout(PendingGet wait) {
        if (waiting != wait || !wait.queue.stopWaiting(wait)) {
            return; // an item was offered meanwhile: it is on its way
        }
        onWaitEnded(wait);
    }

    /** The wait ended with nothing: timeout, or the queue was deleted. */
    void onWaitEnded(PendingGet wait) {
        if (waiting != wait) {
            return;
        }
        vertx.cancelTimer(wait.timerId);
        waiting = null;
        busy = false;
        wait.onNothing.run();
        pump();
    }

    /** A waiter was offered an item (on this connection's thread now). */
    void onOffered(PendingGet wait, Delivery d) {
        if (gone || waiting != wait) {
            d.queue().release(d, false); // the item goes to the next reader, never into a dead socket
            return;
        }
        vertx.cancelTimer(wait.timerId);
        waiting = null;
        busy = false;
        wait.onItem.accept(d);
        pump();
    }

    /**
     * {@link #deliver} for a get of one key. A plain take of a small item is removed from the store
     * before it is written: if the store refuses, the client gets {@code SERVER_ERROR <reason>}
     * and the item stays at the head, rather than the item and a copy left behind for the next
     * reader. (A large item streams first and is removed after; a multi-key get cannot put an
     * error between its values.)
     */
    private void deliverOne(Delivery d, GetKey key, Runnable then) {
        if (key.plainTake() && d.record().isInline()) {
            try {
                d.queue().confirm(d); // puts the item back at the head if it fails
            } catch (StoreException e) {
                STORE_ERRORS.warn("could not remove an item to hand out: " + e.getMessage());
                reply(Replies.serverError(e.getMessage()));
                return;
            }
            counters.getHits.increment();
            send(settings.valueKey(key), d.record(), false, then, () -> { });
            return;
        }
        deliver(d, key, then);
    }

    /**
     * Writes a taken item, then settles it: confirmed for a plain get, kept open for /open, put
     * back for a peek that waited. {@code then} runs once the item is written, at once for a small
     * item, after the stream for a large one.
     */
    private void deliver(Delivery d, GetKey key, Runnable then) {
        if (!key.peek()) {
            counters.getHits.increment();
        }
        Runnable settle = () -> {
            if (key.peek()) {
                d.queue().release(d, false);
            } else if (key.open()) {
                openReads.add(d);
            } else {
                confirmTaken(d);
            }
            then.run();
        };
        send(settings.valueKey(key), d.record(), false, settle, () -> d.queue().release(d, false));
    }

    /**
     * Removes an item a plain get has written. If the store refuses, the item went back to the head
     * and will be delivered again (at-least-once); the reply already sent stays well-formed.
     */
    private void confirmTaken(Delivery d) {
        try {
            d.queue().confirm(d);
        } catch (StoreException e) {
            STORE_ERRORS.warn("could not remove a delivered item, it will be delivered again: " + e.getMessage());
        }
    }

    /** Writes {@code VALUE} with the data; a large item streams, with this session busy meanwhile. */
    private void send(String name, ItemRecord record, boolean consistent, Runnable settle, Runnable undo) {
        reply(Replies.valueHeader(name, record.flags(), record.length()));
        if (record.isInline()) {
            reply(record.data());
            reply(Replies.CRLF);
            settle.run();
            return;
        }
        flush();
        streaming = new ItemStream(repo.chunks(record, consistent), settle, undo);
        busy = true;
        streaming.resume();
    }

    /** Streams a large item's chunks as fast as the client reads them. */
    private final class ItemStream {
        private final ChunkReader chunks;
        private final Runnable settle;
        private final Runnable undo;

        ItemStream(ChunkReader chunks, Runnable settle, Runnable undo) {
            this.chunks = chunks;
            this.settle = settle;
            this.undo = undo;
        }

        void resume() {
            try {
                while (chunks.hasNext() && !socket.writeQueueFull()) {
                    byte[] chunk = chunks.next();
                    stats.bytesWritten.add(chunk.length);
                    io.write(chunk);
                }
            } catch (StoreException e) {
                STORE_ERRORS.warn("cannot finish sending an item: " + e.getMessage());
                abort();
                closing = true;
                socket.close();
                return;
            }
            if (chunks.hasNext()) {
                return; // the drain handler calls again
            }
            chunks.close();
            streaming = null;
            busy = false;
            reply(Replies.CRLF);
            settle.run();
            pump();
        }

        void abort() {
            chunks.close();
            streaming = null;
            undo.run();
        }
    }

    // ---- monitor

    /**
     * {@code monitor <q> <seconds> [max]}: hands out items as open reads, as they come, until
     * {@code max} items or the time is up, then {@code END}. Confirm them with {@code confirm}.
     */
    private void monitor(Request.Monitor m) {
        if (!repo.status().allowsReads()) {
            reply(Replies.serverError("server is quiescent"));
            return;
        }
        long deadline = System.currentTimeMillis() + m.seconds() * 1000L;
        monitorNext(repo.getOrCreate(m.queue()), deadline, m.max());
    }

    private void monitorNext(Queue queue, long deadline, int remaining) {
        while (true) {
            long left = deadline - System.currentTimeMillis();
            if (remaining <= 0 || left <= 0) {
                reply(Replies.END);
                return;
            }
            if (socket.writeQueueFull()) {
                int r = remaining;
                waitForDrain(() -> monitorNext(queue, deadline, r));
                return;
            }
            counters.cmdGet.increment();
            Delivery d = queue.take(true);
            if (d == null) {
                int r = remaining;
                PendingGet wait = new PendingGet(this, queue, item -> monitorDeliver(queue, item, deadline, r),
                        () -> reply(Replies.END));
                d = queue.takeOrWait(wait, true);
                if (d == null) {
                    startWaiting(wait, left);
                    return;
                }
            }
            if (!d.record().isInline()) {
                monitorDeliver(queue, d, deadline, remaining); // streams, then continues from there
                return;
            }
            counters.getHits.increment();
            Delivery item = d;
            send(queue.name(), d.record(), false, () -> openReads.add(item), () -> { });
            remaining--;
            if (out != null && out.readableBytes() >= FLUSH_AT) {
                flush();
            }
        }
    }

    private void monitorDeliver(Queue queue, Delivery d, long deadline, int remaining) {
        counters.getHits.increment();
        send(queue.name(), d.record(), false, () -> {
            openReads.add(d);
            monitorNext(queue, deadline, remaining - 1);
        }, () -> d.queue().release(d, false));
    }

    /** Holds this connection until the client has read what is queued, then runs {@code next}. */
    private void waitForDrain(Runnable next) {
        flush();
        busy = true;
        afterDrain = next;
    }

    // ---- other commands

    private void confirm(Request.Confirm c) {
        if (!openReads.confirm(c.queue(), c.count())) {
            reply(Replies.ERROR);
        } else if (c.count() > 0 && repo.syncsAlways(c.queue())) {
            afterDurable(repo.durability(c.queue(), true), () -> reply(Replies.END));
        } else {
            reply(Replies.END);
        }
    }

    private void dumpStats(List<String> names) {
        for (QueueStats q : repo.stats()) {
            if (names.isEmpty() || names.contains(q.name())) {
                reply(Replies.dumpStatsQueueStart(q.name()));
                StatsReport.queueFields(q, (k, v) -> reply(Replies.dumpStatsField(k, v)));
                reply(Replies.DUMP_STATS_QUEUE_END);
            }
        }
        reply(Replies.END);
    }

    private void status(Request.Status s) {
        if (s.word() == null) {
            reply(Replies.line(repo.status().word()));
            return;
        }
        repo.setStatus(ServerStatus.parse(s.word()));
        reply(Replies.END);
    }

    private void shutdown() {
        if (!settings.shutdownEnabled()) {
            reply(Replies.clientError("shutdown disabled"));
            return;
        }
        LOG.info("shutdown requested by a client");
        closeAfterReplies();
        Quarkus.asyncExit(0);
    }

    /** Refuses a change when the server is read-only or quiescent; true when allowed. */
    private boolean writable() {
        if (repo.status().allowsWrites()) {
            return true;
        }
        reply(Replies.serverError("server is read-only"));
        return false;
    }

    // ---- output and lifecycle

    private void reply(byte[] bytes) {
        if (gone) {
            return; // no one to read it
        }
        if (out == null) {
            out = io.newReplyBuffer();
        }
        out.writeBytes(bytes);
    }

    private void replyUnless(boolean noreply, byte[] bytes) {
        if (!noreply) {
            reply(bytes);
        }
    }

    private void flush() {
        if (out == null || gone) {
            return;
        }
        stats.bytesWritten.add(out.readableBytes());
        io.write(out);
        out = null;
    }

    private void closeAfterReplies() {
        flush();
        closing = true;
        socket.close();
    }

    /** The connection ended, for whatever reason: roll back everything it held. */
    private void onClosed() {
        if (gone) {
            return;
        }
        gone = true;
        closing = true;
        stats.current.decrementAndGet();
        if (out != null) {
            out.release(); // replies no one will read
            out = null;
        }
        if (waiting != null) {
            vertx.cancelTimer(waiting.timerId);
            waiting.queue.stopWaiting(waiting); // if an item was offered already, onOffered puts it back
            waiting = null;
        }
        if (receiving != null) {
            receiving.abort();
            receiving = null;
        }
        if (streaming != null) {
            streaming.abort();
        }
        openReads.rollBackAll();
        onEnd.accept(this);
    }

    /** The server is stopping: a blocked get gets {@code END}, then the connection closes. */
    void stopServing() {
        if (waiting != null && waiting.queue.stopWaiting(waiting)) {
            onWaitEnded(waiting);
        }
        closeAfterReplies();
    }
}
