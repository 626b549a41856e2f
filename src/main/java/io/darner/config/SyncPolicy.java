package io.darner.config;

import java.util.Locale;

/**
 * The parsed {@code sync} setting.
 *
 * @param always every acknowledged write waits for fsync
 * @param periodMs milliseconds between background fsyncs, 0 for none
 */
public record SyncPolicy(boolean always, long periodMs) {
    public static final SyncPolicy NEVER = new SyncPolicy(false, 0);

    /** Parses {@code never}, {@code always} or a period in milliseconds; names {@code key} when it is wrong. */
    public static SyncPolicy parse(String key, String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (v.equals("never")) {
            return NEVER;
        }
        if (v.equals("always")) {
            return new SyncPolicy(true, 0);
        }
        try {
            long ms = Long.parseLong(v);
            if (ms > 0) {
                return new SyncPolicy(false, ms);
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException(key + "=" + value + ": expected never, always or a period in milliseconds (> 0)");
    }
}
