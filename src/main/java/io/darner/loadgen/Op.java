package io.darner.loadgen;

import java.util.Locale;

/** The two requests the load generator makes. */
enum Op {
    SET,
    GET;

    /** The command word on the wire. */
    String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
