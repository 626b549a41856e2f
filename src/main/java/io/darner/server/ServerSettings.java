package io.darner.server;

/** What a session needs to know of the configuration, resolved once. */
record ServerSettings(int maxLine, int maxItemSize, int maxOpenReads, int maxOutputBuffer, boolean shutdownEnabled,
                      String version) {}
