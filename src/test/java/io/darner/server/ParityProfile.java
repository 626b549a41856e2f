package io.darner.server;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.List;
import java.util.Map;

/**
 * The one app of the Kestrel-parity tests (issue 3): every named queue those tests need, each
 * configured for one feature and used by one test, two open reads per connection per queue, and
 * {@code VALUE} lines naming the bare queue, as Kestrel's do.
 */
public class ParityProfile implements QuarkusTestProfile {
    static final int MAX_OPEN_READS = 2;

    /** max-items=3. */
    static final String LIMITED = "limited";
    /** max-size=10 (bytes). */
    static final String SIZED = "sized";
    /** max-item-size=5. */
    static final String SMALL_ITEMS = "small_items";
    /** max-items=3 with discard-old-when-full. */
    static final String RING = "ring";
    /** A name with a dot, configured through a quoted key: max-items=1. */
    static final String DOTTED = "dotted.name";
    /** max-age=1s. */
    static final String CAPPED = "capped";
    /** expire-to-queue=ready: a delay queue. */
    static final String PENDING = "pending";
    static final String READY = "ready";
    /** fanout-only. */
    static final String FAN = "fan";
    /** max-items=2, for its fanout children to inherit. */
    static final String FAN_LIMITED = "fanlimited";
    /** open-timeout=300ms. */
    static final String TIMED = "timed";
    static final long OPEN_TIMEOUT_MS = 300;
    /** max-deliveries=2, dead-letter-queue=poison_dead. */
    static final String POISON = "poison";
    static final String POISON_DEAD = "poison_dead";
    /** max-deliveries=1 and no dead-letter queue: dropped. */
    static final String POISON_DROPPED = "poison_dropped";
    /** sync=always. */
    static final String SYNCED = "synced";
    static final String SYNCED_MANY = "synced_many";
    /** delete-when-idle=1h, for its fanout children to inherit. */
    static final String IDLE = "idle";
    static final long IDLE_MS = 3_600_000;
    /** An alias of two queues. */
    static final String ALIAS = "alias_both";
    static final List<String> ALIAS_DESTINATIONS = List.of("alias_dest_a", "alias_dest_b");
    /** An alias of alias_dest_a and alias_one, which holds one item at most. */
    static final String ALIAS_TIGHT = "alias_tight";
    static final String ALIAS_ONE = "alias_one";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.ofEntries(
                Map.entry("darner.max-open-reads", Integer.toString(MAX_OPEN_READS)),
                Map.entry("darner.value-key", "queue"),
                Map.entry(key(LIMITED, "max-items"), "3"),
                Map.entry(key(SIZED, "max-size"), "10"),
                Map.entry(key(SMALL_ITEMS, "max-item-size"), "5"),
                Map.entry(key(RING, "max-items"), "3"),
                Map.entry(key(RING, "discard-old-when-full"), "true"),
                Map.entry(key(DOTTED, "max-items"), "1"),
                Map.entry(key(CAPPED, "max-age"), "1s"),
                Map.entry(key(PENDING, "expire-to-queue"), READY),
                Map.entry(key(FAN, "fanout-only"), "true"),
                Map.entry(key(FAN_LIMITED, "max-items"), "2"),
                Map.entry(key(TIMED, "open-timeout"), OPEN_TIMEOUT_MS + "ms"),
                Map.entry(key(POISON, "max-deliveries"), "2"),
                Map.entry(key(POISON, "dead-letter-queue"), POISON_DEAD),
                Map.entry(key(POISON_DROPPED, "max-deliveries"), "1"),
                Map.entry(key(SYNCED, "sync"), "always"),
                Map.entry(key(SYNCED_MANY, "sync"), "always"),
                Map.entry("darner.aliases.\"" + ALIAS + "\".destinations", String.join(",", ALIAS_DESTINATIONS)),
                Map.entry("darner.aliases.\"" + ALIAS_TIGHT + "\".destinations", ALIAS_DESTINATIONS.get(0) + "," + ALIAS_ONE),
                Map.entry(key(ALIAS_ONE, "max-items"), "1"),
                Map.entry(key(IDLE, "delete-when-idle"), IDLE_MS + "ms"));
    }

    /** The key of a queue's setting; the name in quotes, as a name with a dot needs. */
    private static String key(String queue, String setting) {
        return "darner.queues.\"" + queue + "\"." + setting;
    }
}
