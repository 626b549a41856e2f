package io.darner.protocol;

import java.util.Locale;

/** The server status of the {@code status} command (spec section 7). */
public enum ServerStatus {
    /** Everything allowed. */
    UP,
    /** Sets, flushes and deletes refused. */
    READONLY,
    /** Also gets and monitor refused; close and confirm still allowed. */
    QUIESCENT;

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The status for a word, case-insensitive, or null. */
    public static ServerStatus parse(String word) {
        for (ServerStatus s : values()) {
            if (s.word().equalsIgnoreCase(word)) {
                return s;
            }
        }
        return null;
    }
}
