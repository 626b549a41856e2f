package io.darner.queue;

import io.darner.config.DarnerConfig;
import io.darner.config.QueueSettings;
import io.darner.config.SyncPolicy;
import io.darner.protocol.QueueNames;
import io.quarkus.runtime.configuration.MemorySize;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Function;

/**
 * Resolves each queue's {@link QueuePolicy} from the configuration: defaults, then the parent's
 * entry for a fanout child, then the queue's own entry. Every entry is validated when this is built,
 * with a message naming the bad key, so a wrong setting stops the start instead of surprising later.
 */
public final class QueuePolicies {
    private final DarnerConfig config;
    private final long serverMaxItemSize;
    private final SyncPolicy serverSync;

    public QueuePolicies(DarnerConfig config) {
        this.config = config;
        this.serverMaxItemSize = config.maxItemSize().asLongValue();
        this.serverSync = SyncPolicy.parse("darner.sync", config.sync());
        validate();
    }

    /**
     * How often the store must be fsynced in the background: the shortest period of {@code darner.sync},
     * the queue defaults and every queue's entry; 0 when none asks for a period. (One store holds
     * every queue, so one fsync serves them all.)
     */
    public long syncPeriodMs() {
        List<SyncPolicy> periods = new ArrayList<>();
        periods.add(serverSync);
        config.queueDefaults().sync().ifPresent(v -> periods.add(SyncPolicy.parse("sync", v)));
        config.queues().values().forEach(s -> s.sync().ifPresent(v -> periods.add(SyncPolicy.parse("sync", v))));
        return periods.stream().mapToLong(SyncPolicy::periodMs).filter(ms -> ms > 0).min().orElse(0);
    }

    /** Whether the defaults or some queue's entry name this queue as dead-letter-queue. */
    public boolean isDeadLetterTarget(String name) {
        return config.queueDefaults().deadLetterQueue().filter(name::equals).isPresent()
                || config.queues().values().stream().anyMatch(s -> s.deadLetterQueue().filter(name::equals).isPresent());
    }

    public QueuePolicy forQueue(String name) {
        String parent = FanoutChildren.parentOf(name);
        List<QueueSettings> layers = new ArrayList<>(3);
        layers.add(config.queueDefaults());
        if (parent != null && config.queues().containsKey(parent)) {
            layers.add(config.queues().get(parent));
        }
        if (config.queues().containsKey(name)) {
            layers.add(config.queues().get(name));
        }
        return new QueuePolicy(
                longValue(layers, QueueSettings::maxItems, Long.MAX_VALUE),
                value(layers, QueueSettings::maxSize).map(MemorySize::asLongValue).orElse(Long.MAX_VALUE),
                value(layers, QueueSettings::maxItemSize).map(MemorySize::asLongValue).orElse(serverMaxItemSize),
                value(layers, QueueSettings::discardOldWhenFull).orElse(false),
                value(layers, QueueSettings::maxAge).map(Duration::toMillis).orElse(0L),
                inheritedTarget(layers, QueueSettings::expireToQueue, name),
                // only a parent feeds children: a child of a fanout-only parent stores its copies (as in Kestrel)
                parent == null && value(layers, QueueSettings::fanoutOnly).orElse(false),
                value(layers, QueueSettings::openTimeout).map(Duration::toMillis).orElse(0L),
                intValue(layers, QueueSettings::maxDeliveries),
                inheritedTarget(layers, QueueSettings::deadLetterQueue, name),
                value(layers, QueueSettings::sync).map(s -> SyncPolicy.parse("sync", s)).orElse(serverSync),
                value(layers, QueueSettings::deleteWhenIdle).map(Duration::toMillis).orElse(0L));
    }

    /**
     * Where the queue's expired or dead-lettered items go, or null. A queue never inherits itself
     * as its own target: with {@code darner.queue-defaults.dead-letter-queue=dlq}, the queue
     * {@code dlq} drops its own failed items rather than taking them back forever. (Naming itself
     * in its own entry is refused at start.)
     */
    private static String inheritedTarget(List<QueueSettings> layers, Function<QueueSettings, Optional<String>> get,
                                          String name) {
        return value(layers, get).filter(target -> !target.equals(name)).orElse(null);
    }

    /** The queue's own value of a setting when it has one, else the nearest layer's. */
    private static <T> Optional<T> value(List<QueueSettings> layers, Function<QueueSettings, Optional<T>> get) {
        for (int i = layers.size() - 1; i >= 0; i--) {
            Optional<T> v = get.apply(layers.get(i));
            if (v.isPresent()) {
                return v;
            }
        }
        return Optional.empty();
    }

    private static long longValue(List<QueueSettings> layers, Function<QueueSettings, OptionalLong> get, long dflt) {
        for (int i = layers.size() - 1; i >= 0; i--) {
            OptionalLong v = get.apply(layers.get(i));
            if (v.isPresent()) {
                return v.getAsLong();
            }
        }
        return dflt;
    }

    private static int intValue(List<QueueSettings> layers, Function<QueueSettings, OptionalInt> get) {
        for (int i = layers.size() - 1; i >= 0; i--) {
            OptionalInt v = get.apply(layers.get(i));
            if (v.isPresent()) {
                return v.getAsInt();
            }
        }
        return 0;
    }

    private void validate() {
        check("darner.queue-defaults.", config.queueDefaults(), null);
        for (Map.Entry<String, QueueSettings> e : config.queues().entrySet()) {
            String prefix = entryPrefix(e.getKey());
            if (!QueueNames.isValid(e.getKey())) {
                throw new IllegalArgumentException(prefix + "*: '" + e.getKey() + "' is not a valid queue name");
            }
            check(prefix, e.getValue(), e.getKey());
        }
        // every queue a cycle could pass through is the target of some setting, or configured
        Set<String> names = new HashSet<>(config.queues().keySet());
        config.queueDefaults().expireToQueue().ifPresent(names::add);
        config.queueDefaults().deadLetterQueue().ifPresent(names::add);
        for (String name : config.queues().keySet()) {
            QueuePolicy p = forQueue(name);
            addIfPresent(names, p.expireToQueue());
            addIfPresent(names, p.deadLetterQueue());
        }
        for (String name : names) {
            checkNoCycle(name);
        }
        Aliases.validate(config, this);
    }

    private void check(String prefix, QueueSettings s, String self) {
        positive(prefix + "max-items", s.maxItems().isPresent() ? s.maxItems().getAsLong() : 1);
        positive(prefix + "max-size", s.maxSize().map(MemorySize::asLongValue).orElse(1L));
        long itemSize = s.maxItemSize().map(MemorySize::asLongValue).orElse(1L);
        positive(prefix + "max-item-size", itemSize);
        if (itemSize > serverMaxItemSize) {
            throw new IllegalArgumentException(prefix + "max-item-size=" + itemSize
                    + ": larger than the server's darner.max-item-size=" + serverMaxItemSize);
        }
        positive(prefix + "max-age", s.maxAge().map(Duration::toMillis).orElse(1L));
        positive(prefix + "open-timeout", s.openTimeout().map(Duration::toMillis).orElse(1L));
        positive(prefix + "delete-when-idle", s.deleteWhenIdle().map(Duration::toMillis).orElse(1L));
        positive(prefix + "max-deliveries", s.maxDeliveries().isPresent() ? s.maxDeliveries().getAsInt() : 1);
        targetName(prefix + "expire-to-queue", s.expireToQueue(), self);
        targetName(prefix + "dead-letter-queue", s.deadLetterQueue(), self);
        s.sync().ifPresent(v -> SyncPolicy.parse(prefix + "sync", v));
    }

    private static void positive(String key, long v) {
        if (v <= 0) {
            throw new IllegalArgumentException(key + "=" + v + ": must be greater than 0");
        }
    }

    private static void targetName(String key, Optional<String> target, String self) {
        if (target.isEmpty()) {
            return;
        }
        String t = target.get();
        if (!QueueNames.isValid(t)) {
            throw new IllegalArgumentException(key + "=" + t + ": not a valid queue name");
        }
        if (t.equals(self)) {
            throw new IllegalArgumentException(key + "=" + t + ": a queue cannot send its items to itself");
        }
    }

    /**
     * Expired and dead-lettered items move from queue to queue; following those moves from any
     * queue must never come back to it (a loop would move items forever, and lock queues in a circle).
     */
    private void checkNoCycle(String start) {
        walk(start, null, new ArrayList<>(), new HashSet<>());
    }

    /** Follows the moves from {@code at}, reached through the setting {@code viaKey}. */
    private void walk(String at, String viaKey, List<String> path, Set<String> done) {
        if (path.contains(at)) {
            List<String> cycle = new ArrayList<>(path.subList(path.indexOf(at), path.size()));
            cycle.add(at);
            throw new IllegalArgumentException(viaKey + "=" + at
                    + ": expire-to-queue / dead-letter-queue settings form a cycle: " + String.join(" -> ", cycle));
        }
        if (done.contains(at)) {
            return;
        }
        path.add(at);
        QueuePolicy p = forQueue(at);
        if (p.expireToQueue() != null) {
            walk(p.expireToQueue(), sourceKey(at, "expire-to-queue", QueueSettings::expireToQueue), path, done);
        }
        if (p.deadLetterQueue() != null) {
            walk(p.deadLetterQueue(), sourceKey(at, "dead-letter-queue", QueueSettings::deadLetterQueue), path, done);
        }
        path.remove(path.size() - 1);
        done.add(at);
    }

    /** The key a queue's setting is read from: its own entry, else its parent's, else the defaults. */
    private String sourceKey(String queue, String setting, Function<QueueSettings, Optional<String>> get) {
        for (String entry : new String[] {queue, FanoutChildren.parentOf(queue)}) {
            QueueSettings s = entry == null ? null : config.queues().get(entry);
            if (s != null && get.apply(s).isPresent()) {
                return entryPrefix(entry) + setting;
            }
        }
        return "darner.queue-defaults." + setting;
    }

    private static String entryPrefix(String queue) {
        return "darner.queues.\"" + queue + "\".";
    }

    private static void addIfPresent(Set<String> names, String name) {
        if (name != null) {
            names.add(name);
        }
    }
}
