package io.darner.server;

import io.darner.config.DarnerConfig;
import io.darner.protocol.Replies;
import io.darner.queue.QueueRepository;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The memcache-protocol TCP listener. One server per event loop, all on the same port (Vert.x
 * spreads the connections over them), each connection served by a {@link Session}.
 */
@Singleton
public class QueueListener {
    private static final Logger LOG = Logger.getLogger(QueueListener.class);

    private final Vertx vertx;
    private final QueueRepository repo;
    private final DarnerConfig config;
    private final ServerSettings settings;
    private final ConnectionStats stats = new ConnectionStats();
    private final List<NetServer> servers = new ArrayList<>();
    private final long startedAtMs = System.currentTimeMillis();
    private volatile int boundPort = -1;

    public QueueListener(Vertx vertx, QueueRepository repo, DarnerConfig config,
                         @ConfigProperty(name = "quarkus.application.version", defaultValue = "1.0.0") String version) {
        this.vertx = vertx;
        this.repo = repo;
        this.config = config;
        this.settings = new ServerSettings(config.maxLine(), (int) Math.min(Integer.MAX_VALUE, config.maxItemSize().asLongValue()),
                config.maxOpenReads(), (int) config.maxOutputBuffer().asLongValue(), config.shutdownEnabled(), version);
    }

    void onStart(@Observes StartupEvent event) throws Exception {
        int port = config.port();
        for (int i = 0; i < Math.max(1, config.eventLoops()); i++) {
            // the first server may pick a free port (port 0); the others share the one it got
            port = listenOnNewEventLoop(port).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        boundPort = port;
        LOG.infof("darner %s: queue protocol on %s:%d, data in %s, %d queues, status %s", settings.version(),
                config.host(), port, config.dataDir().toAbsolutePath().normalize(), repo.queueCount(),
                repo.status().word());
    }

    void onStop(@Observes ShutdownEvent event) throws Exception {
        for (NetServer server : servers) {
            server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    /** The port the listener is bound to (differs from the configured one when that is 0). */
    public int port() {
        return boundPort;
    }

    public ConnectionStats connectionStats() {
        return stats;
    }

    public long startedAtMs() {
        return startedAtMs;
    }

    private Future<Integer> listenOnNewEventLoop(int port) {
        Promise<Integer> bound = Promise.promise();
        Context ctx = vertx.getOrCreateContext();
        ctx.runOnContext(v -> {
            NetServerOptions options = new NetServerOptions().setHost(config.host()).setPort(port)
                    .setTcpNoDelay(true).setReuseAddress(true);
            NetServer server = vertx.createNetServer(options).connectHandler(this::accept);
            synchronized (servers) {
                servers.add(server);
            }
            server.listen().onSuccess(s -> bound.complete(s.actualPort())).onFailure(bound::fail);
        });
        return bound.future();
    }

    private void accept(NetSocket socket) {
        if (stats.current.incrementAndGet() > config.maxConnections()) {
            stats.current.decrementAndGet();
            socket.write(Buffer.buffer(Replies.TOO_MANY_CONNECTIONS));
            socket.close();
            return;
        }
        stats.total.increment();
        new Session(socket, vertx, repo, settings, stats, startedAtMs).start();
    }
}
