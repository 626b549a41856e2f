package io.darner.config;

/** What the {@code VALUE} line of a get names: {@code darner.value-key}. */
public enum ValueKey {
    /**
     * The key as the client asked for it, options and all ({@code VALUE jobs/t=500/open ...}): memcache
     * clients match every {@code VALUE} to a key they requested.
     */
    REQUEST,
    /** The bare queue name ({@code VALUE jobs ...}), as Kestrel and Darner answer. */
    QUEUE
}
