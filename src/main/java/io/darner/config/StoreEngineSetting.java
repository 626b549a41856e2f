package io.darner.config;

import java.util.Locale;

/** The parsed {@code darner.store-engine} setting: which LevelDB implementation opens the store. */
public enum StoreEngineSetting {
    /** The native LevelDB where its library loads, the pure-Java port elsewhere. */
    AUTO,
    /** The native LevelDB only: the server does not start where its library does not load. */
    NATIVE,
    /** The pure-Java port, everywhere. */
    JAVA;

    /** Parses {@code auto}, {@code native} or {@code java}, in any case; names {@code key} when it is wrong. */
    public static StoreEngineSetting parse(String key, String value) {
        String v = value.trim().toUpperCase(Locale.ROOT);
        for (StoreEngineSetting s : values()) {
            if (s.name().equals(v)) {
                return s;
            }
        }
        throw new IllegalArgumentException(key + "=" + value + ": expected auto, native or java");
    }
}
