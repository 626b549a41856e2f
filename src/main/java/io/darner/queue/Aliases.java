package io.darner.queue;

import io.darner.config.AliasSettings;
import io.darner.config.DarnerConfig;
import io.darner.protocol.QueueNames;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The aliases of the configuration ({@code darner.aliases."name".destinations}): names that take
 * sets and store a copy in every destination queue, and are never queues themselves.
 */
final class Aliases {
    /** One alias: its destinations in the order their locks are taken, and the sets it stored. */
    record Alias(String name, List<String> destinations, List<String> lockOrder, LongAdder totalItems) {}

    private final Map<String, Alias> byName;

    Aliases(DarnerConfig config, QueuePolicies policies) {
        Map<String, Alias> m = new HashMap<>();
        Map<String, Integer> ranks = new HashMap<>();
        config.aliases().forEach((name, settings) -> {
            List<String> destinations = List.copyOf(settings.destinations());
            List<String> order = new ArrayList<>(destinations);
            order.sort(Comparator.<String>comparingInt(q -> -rank(q, policies, ranks)).thenComparing(q -> q));
            m.put(name, new Alias(name, destinations, List.copyOf(order), new LongAdder()));
        });
        this.byName = Map.copyOf(m);
    }

    /** The alias of that name, or null (almost always: most servers have none). */
    Alias get(String name) {
        return byName.isEmpty() ? null : byName.get(name);
    }

    boolean isAlias(String name) {
        return get(name) != null;
    }

    /** Every alias's destinations, by alias name. */
    Map<String, Alias> all() {
        return new TreeMap<>(byName);
    }

    /**
     * How many moves (expiry, dead-lettering) can follow one another from this queue. A queue locks
     * the queue it moves an item to while it holds its own lock, so locks go from higher ranks to
     * lower ones; an alias takes its destinations' locks in that order too, and never deadlocks
     * with a move. (The moves form no cycle: {@link QueuePolicies} refuses one at start.)
     */
    private static int rank(String queue, QueuePolicies policies, Map<String, Integer> ranks) {
        Integer known = ranks.get(queue);
        if (known != null) {
            return known;
        }
        QueuePolicy p = policies.forQueue(queue);
        int r = 0;
        for (String target : new String[] {p.expireToQueue(), p.deadLetterQueue()}) {
            if (target != null) {
                r = Math.max(r, 1 + rank(target, policies, ranks));
            }
        }
        ranks.put(queue, r);
        return r;
    }

    /**
     * Refuses a bad alias with a message naming its key: an invalid name or destination, an alias
     * without destinations, one that is also configured as a queue, one among another alias's
     * destinations (or its own), a destination named twice or fanout-only, one named as a queue's expire-to-queue or dead-letter-queue.
     */
    static void validate(DarnerConfig config, QueuePolicies policies) {
        Map<String, AliasSettings> aliases = config.aliases();
        for (Map.Entry<String, AliasSettings> e : aliases.entrySet()) {
            String prefix = "darner.aliases.\"" + e.getKey() + "\".";
            if (!QueueNames.isValid(e.getKey()) || e.getKey().indexOf('+') >= 0) {
                throw new IllegalArgumentException(prefix + "destinations: '" + e.getKey()
                        + "' is not a valid alias name (a queue name without '+')");
            }
            if (config.queues().containsKey(e.getKey())) {
                throw new IllegalArgumentException(prefix + "destinations: '" + e.getKey()
                        + "' is an alias and has queue settings (darner.queues.\"" + e.getKey()
                        + "\".*) too: an alias holds no items, it is never a queue");
            }
            String shown = prefix + "destinations=" + String.join(",", e.getValue().destinations());
            if (e.getValue().destinations().isEmpty()) {
                throw new IllegalArgumentException(shown + ": name at least one queue");
            }
            Set<String> seen = new HashSet<>();
            for (String d : e.getValue().destinations()) {
                if (!seen.add(d)) {
                    throw new IllegalArgumentException(shown + ": names '" + d + "' twice");
                }
                if (!QueueNames.isValid(d)) {
                    throw new IllegalArgumentException(shown + ": '" + d + "' is not a valid queue name");
                }
                if (aliases.containsKey(d)) {
                    throw new IllegalArgumentException(shown + ": '" + d + "' is an alias; destinations are queues");
                }
                if (policies.forQueue(d).fanoutOnly()) {
                    throw new IllegalArgumentException(shown + ": '" + d + "' is fanout-only and stores nothing; "
                            + "name its children");
                }
            }
        }
        checkNotTarget(config, "darner.queue-defaults.", config.queueDefaults().expireToQueue().orElse(null),
                "expire-to-queue");
        checkNotTarget(config, "darner.queue-defaults.", config.queueDefaults().deadLetterQueue().orElse(null),
                "dead-letter-queue");
        config.queues().forEach((queue, s) -> {
            String prefix = "darner.queues.\"" + queue + "\".";
            checkNotTarget(config, prefix, s.expireToQueue().orElse(null), "expire-to-queue");
            checkNotTarget(config, prefix, s.deadLetterQueue().orElse(null), "dead-letter-queue");
        });
    }

    private static void checkNotTarget(DarnerConfig config, String prefix, String target, String setting) {
        if (target != null && config.aliases().containsKey(target)) {
            throw new IllegalArgumentException(prefix + setting + "=" + target
                    + ": an alias; items can move only to a queue");
        }
    }
}
