package io.darner.storage;

/** The two ways a server stops before it opens its store again. */
public enum Stop {
    /** A graceful stop: item counts and the clean-stop marker are written. */
    CLEAN,
    /** A killed process: nothing is written at the stop, so the next open must recount. */
    KILLED
}
