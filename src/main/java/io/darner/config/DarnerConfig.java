package io.darner.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** The server's settings, {@code darner.*} in application.properties or {@code DARNER_*} in the environment. */
@ConfigMapping(prefix = "darner")
public interface DarnerConfig {

    /** TCP port of the memcache-protocol listener; 0 picks a free port (tests). */
    @WithDefault("22133")
    int port();

    /** Bind address of the listener. Loopback by default: the protocol has no authentication. */
    @WithDefault("127.0.0.1")
    String host();

    /**
     * The entry of Quarkus's TLS registry ({@code quarkus.tls.<name>.*}) whose key and certificate
     * the queue port serves. Unset (the default): plaintext. Set: TLS only, a plaintext client is
     * refused.
     */
    Optional<String> tlsConfigurationName();

    /**
     * With TLS, whether clients must show a certificate the registry entry's trust store vouches
     * for: {@code none} (the default), {@code request} or {@code required} (mutual TLS).
     */
    @WithDefault("none")
    TlsClientAuth tlsClientAuth();

    /** Directory of the LevelDB store holding every queue. */
    @WithDefault("./data")
    Path dataDir();

    /** Longest request line accepted, terminator included. */
    @WithDefault("2048")
    int maxLine();

    /** Largest item accepted; a larger set is refused before its data is read. */
    @WithDefault("32M")
    MemorySize maxItemSize();

    /** Connections served at once; one more is answered SERVER_ERROR and closed. */
    @WithDefault("10000")
    int maxConnections();

    /**
     * When a write is made durable: {@code never} (the OS flushes; survives a killed process),
     * {@code always} (STORED only after fsync, concurrent writers share one fsync), or a period in
     * milliseconds between background fsyncs.
     */
    @WithDefault("never")
    String sync();

    /** Open (unconfirmed) reads one connection may hold on one queue. */
    @WithDefault("1")
    int maxOpenReads();

    /**
     * Event loops serving the listener; connections are spread over them. Unset: half the cores,
     * at least one, which leaves the other cores to LevelDB's compaction, the JVM and, on a small
     * machine, the clients.
     */
    Optional<Integer> eventLoops();

    /** {@link #eventLoops()}, or half the cores (at least one) when unset. */
    default int eventLoopCount() {
        return eventLoops().orElse(Math.max(1, Runtime.getRuntime().availableProcessors() / 2));
    }

    /** Reply bytes queued for one connection before it stops being read until the client catches up. */
    @WithDefault("256K")
    MemorySize maxOutputBuffer();

    /**
     * Which LevelDB opens the store: {@code auto} (the native library where it loads, the pure-Java
     * port elsewhere), {@code native} (refuse to start without the native library) or {@code java}.
     * Both read and write the same files; see docs/reliability.md, Store engines.
     */
    @WithDefault("auto")
    String storeEngine();

    /** LevelDB block cache. */
    @WithDefault("8M")
    MemorySize storeCache();

    /** A connection with no traffic for this long is closed; unset (the default) keeps idle connections, as Kestrel does. */
    Optional<Duration> idleTimeout();

    /** Free space the data volume must keep; below it the readiness probe reports DOWN. */
    @WithDefault("100M")
    MemorySize minFreeDisk();

    /**
     * Run LevelDB's repair over the store before opening it, and copy the readable items of
     * damaged queues past their damaged blocks. For one start after the store was found damaged;
     * see docs/reliability.md.
     */
    @WithDefault("false")
    boolean repairOnStart();

    /**
     * The longest a graceful stop may take once the listener stops accepting: blocked gets are
     * answered {@code END}, connections are closed (rolling back their open reads) and the store is
     * closed well within it. A stop still not done by then is logged and the process halts with
     * status 1.
     */
    @WithDefault("10s")
    java.time.Duration shutdownGrace();

    /**
     * Queues at most. Every queue costs heap (about half a KiB when empty), and any client may
     * name new queues: past this, a request that would create one gets {@code SERVER_ERROR too many
     * queues}. The default fits the 64 MiB heap of the README's start command.
     */
    @WithDefault("50000")
    int maxQueues();

    /**
     * What a get's {@code VALUE} line names: {@code request}, the key as the client asked for it
     * ({@code get jobs/t=500/open} answers {@code VALUE jobs/t=500/open ...}), which every memcache
     * client matches to its request; or {@code queue}, the bare queue name, as Kestrel and Darner do,
     * for clients written for them. {@code monitor} names the queue either way.
     */
    @WithDefault("request")
    ValueKey valueKey();

    /** Whether the {@code shutdown} command may stop the server. */
    @WithDefault("false")
    boolean shutdownEnabled();

    /** Settings every queue starts from. */
    QueueSettings queueDefaults();

    /** Settings of named queues; a fanout child {@code a+b} inherits the entry of {@code a}. */
    Map<String, QueueSettings> queues();

    /** Aliases by name: a set on one is stored in each of its destination queues, all or none. */
    Map<String, AliasSettings> aliases();
}
