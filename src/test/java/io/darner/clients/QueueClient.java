package io.darner.clients;

import java.util.List;
import java.util.Map;

/** What the checklist asks of a Java memcache client library: one client, one connection. */
interface QueueClient extends AutoCloseable {

    /** Stores the value (the library encodes it, its type in the flags); whether the server stored it. */
    boolean set(String key, Object value) throws Exception;

    /** The value, or null on a miss. */
    Object get(String key) throws Exception;

    /** One get of several keys: the values by key. */
    Map<String, Object> getMulti(List<String> keys) throws Exception;

    /** Ends the connection at once. */
    @Override
    void close() throws Exception;

    /** Makes a new client, on a connection of its own. */
    interface Factory {
        QueueClient connect() throws Exception;
    }
}
