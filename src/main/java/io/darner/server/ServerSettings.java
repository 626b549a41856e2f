package io.darner.server;

import io.darner.config.ValueKey;
import io.darner.protocol.GetKey;

/** What a session needs to know of the configuration, resolved once. */
record ServerSettings(int maxLine, int maxItemSize, int maxOpenReads, int maxOutputBuffer, boolean shutdownEnabled,
                      String version, ValueKey valueKey) {

    /** The key a {@code VALUE} line answering this get names. */
    String valueKey(GetKey key) {
        return valueKey == ValueKey.REQUEST ? key.requested() : key.queue();
    }
}
