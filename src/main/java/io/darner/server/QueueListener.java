package io.darner.server;

import io.darner.config.DarnerConfig;
import io.darner.protocol.Replies;
import io.darner.queue.QueueRepository;
import io.darner.queue.RequestTimings;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The memcache-protocol TCP listener. One server per event loop, all on the same port (Vert.x
 * spreads the connections over them), each connection served by a {@link MemcacheSession}; over TLS
 * when {@code darner.tls-configuration-name} is set ({@link ListenerTls}).
 */
@Singleton
public class QueueListener {
    private static final Logger LOG = Logger.getLogger(QueueListener.class);

    private final Vertx vertx;
    private final QueueRepository repo;
    private final DarnerConfig config;
    private final ServerSettings settings;
    private final RequestTimings timings;
    private final ListenerTls tls;

    private final ConnectionStats stats = new ConnectionStats();
    private final Set<MemcacheSession> sessions = ConcurrentHashMap.newKeySet();
    private volatile boolean accepting = true;
    private String deploymentId;
    private final long startedAtMs = System.currentTimeMillis();
    private volatile int boundPort = -1;
    /** darner.max-connections, lowered to what the file descriptor limit allows (see {@link #connectionLimit}). */
    private final int maxConnections;
    private final AcceptFailureLog acceptFailures = AcceptFailureLog.install();
    /**
     * Descriptors kept for other uses than queue connections and the store's tables: the JVM's own
     * (about 40 once started), the admin port's clients, logs.
     */
    static final int SPARE_DESCRIPTORS = 100;

    public QueueListener(Vertx vertx, QueueRepository repo, DarnerConfig config, RequestTimings timings, ListenerTls tls,
                         @ConfigProperty(name = "quarkus.application.version", defaultValue = "1.0.0") String version) {
        this.vertx = vertx;
        this.repo = repo;
        this.timings = timings;
        this.tls = tls;
        this.config = config;
        this.settings = new ServerSettings(config.maxLine(), (int) Math.min(Integer.MAX_VALUE, config.maxItemSize().asLongValue()),
                config.maxOpenReads(), (int) config.maxOutputBuffer().asLongValue(), config.shutdownEnabled(), version,
                config.valueKey());
        this.maxConnections = connectionLimit(config.maxConnections(), FileDescriptors.max());
    }

    /**
     * The connections to serve at once: darner.max-connections, or fewer if the file descriptor
     * limit would run out first. Every connection takes a descriptor, and the store needs up to
     * {@link QueueRepository#storeOpenFiles()} more as it grows: LevelDB failing to open a file for want
     * of descriptors fails writes until a restart. A connection over the limit is accepted,
     * answered {@code SERVER_ERROR too many connections} and closed, which the client understands,
     * rather than left unaccepted.
     */
    static int connectionLimit(int configured, long maxDescriptors) {
        if (maxDescriptors <= 0) {
            return configured;
        }
        long budget = maxDescriptors - QueueRepository.storeOpenFiles() - SPARE_DESCRIPTORS;
        if (budget >= configured) {
            return configured;
        }
        int limit = (int) Math.max(1, budget);
        LOG.warnf("darner.max-connections is %d, but the process may open only %d files (ulimit -n): serving at most "
                + "%d connections at once, so that the store and the admin port keep the descriptors they need. "
                + "Raise the limit (ulimit -n, LimitNOFILE) to serve more", configured, maxDescriptors, limit);
        return limit;
    }

    /** Right after the settings check (SettingsGate), before the other start-up observers: the queue port first. */
    void onStart(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE + 1) StartupEvent event) throws Exception {
        tls.check();
        // one verticle instance per event loop; Vert.x shares the port between them (also port 0)
        DeploymentOptions options = new DeploymentOptions().setInstances(config.eventLoopCount());
        deploymentId = vertx.deployVerticle(ListenerVerticle::new, options)
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        int port = boundPort;
        // after the bind, not before: the first clients are served while this runs (issue 12, start-up)
        ClassPreloader.preload(QueueListener.class, "io/darner/");
        // a connection's close (its inactive and deregister steps run as tasks of these classes)
        ClassPreloader.preload(io.netty.channel.AbstractChannel.class, "io/netty/channel/AbstractChannel",
                "io/netty/channel/AbstractChannelHandlerContext", "io/netty/channel/DefaultChannelPipeline");
        LOG.infof("darner %s: queue protocol on %s:%d%s (%s transport), data in %s, %d queues, status %s",
                settings.version(), config.host(), port, tls.describe(), vertx.isNativeTransportEnabled() ? "epoll" : "NIO",
                config.dataDir().toAbsolutePath().normalize(), repo.queueCount(), repo.status().word());
    }

    /**
     * Graceful stop: no new connections, blocked gets answered {@code END}, every connection closed
     * (rolling back its open reads), before the repository closes the store.
     */
    void onStop(@Observes ShutdownEvent event) throws Exception {
        accepting = false;
        long graceMs = config.shutdownGrace().toMillis();
        startWatchdog(graceMs);
        int open = sessions.size();
        sessions.forEach(s -> s.context().runOnContext(v -> s.stopServing()));
        long deadline = System.currentTimeMillis() + graceMs / 2;
        while (!sessions.isEmpty() && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        if (!sessions.isEmpty()) {
            LOG.warnf("%d connections still open %d ms into the stop", sessions.size(), graceMs / 2);
        }
        LOG.infof("stopped: %d connections closed, blocked gets answered END, open reads back in their queues", open);
        if (deploymentId != null) {
            vertx.undeploy(deploymentId).toCompletionStage().toCompletableFuture()
                    .get(Math.max(1000, graceMs / 4), TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Halts the process if the stop is not done within the grace period: a stop that hangs (a
     * store that does not close) must not keep the server half up until something kills it. A stop
     * that finished closed the store; then the watchdog has nothing to do (the JVM may live on, as
     * in tests that restart the application).
     */
    private void startWatchdog(long graceMs) {
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(graceMs);
            } catch (InterruptedException e) {
                return;
            }
            if (!repo.isStoreOpen()) {
                return;
            }
            LOG.errorf("the stop did not finish within darner.shutdown-grace (%d ms): halting. Threads:%n%s", graceMs, threadDump());
            Runtime.getRuntime().halt(1);
        }, "darner-stop-watchdog");
        watchdog.setDaemon(true); // the JVM exits without waiting for it when the stop finishes in time
        watchdog.start();
    }

    private static String threadDump() {
        StringBuilder b = new StringBuilder();
        Thread.getAllStackTraces().forEach((t, stack) -> {
            b.append('"').append(t.getName()).append("\" ").append(t.getState()).append('\n');
            for (StackTraceElement e : stack) {
                b.append("    at ").append(e).append('\n');
            }
        });
        return b.toString();
    }

    /** False once the server is stopping. */
    public boolean isAccepting() {
        return accepting && boundPort > 0;
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

    /** The version the {@code version} and {@code stats} commands report. */
    public String version() {
        return settings.version();
    }

    /** One listening server on this verticle's event loop. */
    private final class ListenerVerticle extends AbstractVerticle {
        @Override
        public void start(Promise<Void> started) {
            repo.servingThreadStarted(); // this verticle's connections are served on this thread
            NetServerOptions options = new NetServerOptions().setHost(config.host()).setPort(config.port())
                    .setTcpNoDelay(true).setReuseAddress(true);
            config.idleTimeout().ifPresent(t -> options.setIdleTimeout((int) Math.min(Integer.MAX_VALUE, t.toMillis()))
                    .setIdleTimeoutUnit(TimeUnit.MILLISECONDS));
            tls.configure(options);
            vertx.createNetServer(options).connectHandler(QueueListener.this::accept).listen()
                    .onSuccess(server -> {
                        boundPort = server.actualPort();
                        started.complete();
                    })
                    .onFailure(started::fail);
        }
    }

    private void accept(NetSocket socket) {
        if (!accepting) {
            socket.close();
            return;
        }
        acceptFailures.accepted();
        if (stats.current.incrementAndGet() > maxConnections) {
            stats.current.decrementAndGet();
            socket.write(Buffer.buffer(Replies.TOO_MANY_CONNECTIONS));
            socket.close();
            return;
        }
        stats.total.increment();
        MemcacheSession session = new MemcacheSession(socket, vertx, repo, settings, stats, startedAtMs, timings, sessions::remove);
        sessions.add(session);
        session.start();
    }
}
