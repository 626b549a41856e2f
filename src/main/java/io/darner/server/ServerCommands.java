package io.darner.server;

import io.darner.protocol.Replies;
import io.darner.protocol.Request;
import io.darner.queue.QueueRepository;
import io.darner.queue.QueueStats;
import io.darner.queue.ServerStatus;
import io.quarkus.runtime.Quarkus;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * The commands about whole queues and the server (delete, flush, stats, status, version,
 * shutdown, and an unknown command), answered at once on the connection's thread.
 */
final class ServerCommands {
    private static final Logger LOG = Logger.getLogger(ServerCommands.class);

    private final QueueRepository repo;
    private final ServerSettings settings;
    private final ConnectionStats stats;
    private final long startedAtMs;
    private final ReplyOutput output;
    /** Closes the connection once its replies are out. */
    private final Runnable close;
    /** Holds the connection until the future completes, then runs the reply (or answers the failure). */
    private final BiConsumer<CompletableFuture<Void>, Runnable> afterDurable;

    ServerCommands(QueueRepository repo, ServerSettings settings, ConnectionStats stats, long startedAtMs,
                   ReplyOutput output, Runnable close, BiConsumer<CompletableFuture<Void>, Runnable> afterDurable) {
        this.repo = repo;
        this.afterDurable = afterDurable;
        this.settings = settings;
        this.stats = stats;
        this.startedAtMs = startedAtMs;
        this.output = output;
        this.close = close;
    }

    void handle(Request r) {
        if (r instanceof Request.Delete delete) {
            if (writable()) {
                String durable = repo.syncsAlways(delete.queue()) ? delete.queue() : null;
                repo.delete(delete.queue());
                replyOnceDurable(durable, Replies.DELETED);
            }
        } else if (r instanceof Request.Flush flush) {
            if (writable()) {
                String durable = repo.syncsAlways(flush.queue()) ? flush.queue() : null;
                repo.flush(flush.queue());
                replyOnceDurable(durable, Replies.END);
            }
        } else if (r instanceof Request.FlushAll flushAll) {
            if (writable()) {
                String durable = repo.names().stream().filter(repo::syncsAlways).findFirst().orElse(null);
                repo.flushAll();
                if (!flushAll.noreply()) {
                    replyOnceDurable(durable, Replies.FLUSHED_ALL);
                }
            }
        } else if (r instanceof Request.FlushExpired flushExpired) {
            if (writable()) {
                output.reply(Replies.number(repo.flushExpired(flushExpired.queue())));
            }
        } else if (r instanceof Request.FlushAllExpired) {
            if (writable()) {
                output.reply(Replies.number(repo.flushAllExpired()));
            }
        } else if (r instanceof Request.Stats) {
            StatsReport.global(repo, stats, startedAtMs, settings.version(), (k, v) -> output.reply(Replies.stat(k, v)));
            output.reply(Replies.END);
        } else if (r instanceof Request.DumpStats dump) {
            dumpStats(dump.queues());
        } else if (r instanceof Request.Version) {
            output.reply(Replies.version(settings.version()));
        } else if (r instanceof Request.Status status) {
            status(status);
        } else if (r instanceof Request.Shutdown) {
            shutdown();
        } else {
            output.reply(Replies.ERROR); // Request.Unknown: memcached's answer, connection kept
        }
    }

    /**
     * Replies at once, or, when the change was to a queue that syncs always (named by
     * {@code durableQueue}), once it is fsynced: a flush or delete acknowledged survives a power loss.
     */
    private void replyOnceDurable(String durableQueue, byte[] reply) {
        if (durableQueue == null) {
            output.reply(reply);
        } else {
            afterDurable.accept(repo.durability(durableQueue, true), () -> output.reply(reply));
        }
    }

    private void dumpStats(List<String> names) {
        for (QueueStats q : repo.stats()) {
            if (names.isEmpty() || names.contains(q.name())) {
                output.reply(Replies.dumpStatsQueueStart(q.name()));
                StatsReport.queueFields(q, (k, v) -> output.reply(Replies.dumpStatsField(k, v)));
                output.reply(Replies.DUMP_STATS_QUEUE_END);
            }
        }
        output.reply(Replies.END);
    }

    private void status(Request.Status s) {
        if (s.word() == null) {
            output.reply(Replies.line(repo.status().word()));
            return;
        }
        repo.setStatus(ServerStatus.parse(s.word()));
        output.reply(Replies.END);
    }

    private void shutdown() {
        if (!settings.shutdownEnabled()) {
            output.reply(Replies.clientError("shutdown disabled"));
            return;
        }
        LOG.info("shutdown requested by a client");
        close.run();
        Quarkus.asyncExit(0);
    }

    /** Refuses a change when the server is read-only or quiescent; true when allowed. */
    private boolean writable() {
        String refusal = repo.status().writeRefusal();
        if (refusal == null) {
            return true;
        }
        output.reply(Replies.serverError(refusal));
        return false;
    }
}
