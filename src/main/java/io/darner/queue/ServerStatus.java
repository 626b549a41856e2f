package io.darner.queue;

import java.util.Locale;

/** The server status of the {@code status} command (spec section 7). */
public enum ServerStatus {
    /** Everything allowed. */
    UP,
    /** Sets, flushes and deletes refused. */
    READONLY,
    /** Also gets and monitor refused; close and confirm still allowed, so consumers can finish. */
    QUIESCENT;

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Why a change (set, flush, delete) is refused in this status, or null when it is allowed. */
    public String writeRefusal() {
        return switch (this) {
            case UP -> null;
            case READONLY -> "server is read-only";
            case QUIESCENT -> "server is quiescent";
        };
    }

    public boolean allowsReads() {
        return this != QUIESCENT;
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
