package io.darner.loadgen;

import java.util.Locale;

/** The requests the load generator makes. */
enum Op {
    SET,
    GET,
    /** {@code get <q>/close}: confirms the last open read on a queue (only with get options that open). */
    CLOSE;

    /** The request's name in messages: the command word for a set or a get. */
    String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
