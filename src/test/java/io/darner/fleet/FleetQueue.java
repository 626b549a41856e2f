package io.darner.fleet;

// docs/clients.md shows this class from here on; ClientSnippetsIT keeps the two the same.
import net.spy.memcached.ConnectionFactory;
import net.spy.memcached.ConnectionFactoryBuilder;
import net.spy.memcached.FailureMode;
import net.spy.memcached.MemcachedClient;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * One queue spread over a fleet of Darner servers, with spymemcached: one client, so one
 * connection, per server, used in turn. Not thread-safe: give each producer or consumer thread
 * its own, so that a reliable read is confirmed on the connection that opened it.
 */
public final class FleetQueue implements AutoCloseable {
    private static final int WAIT_MS = 200;          // a get waits this long on an empty server
    private static final int ITEMS_PER_VISIT = 100;  // then the next server has its turn

    private final String queue;
    private final List<MemcachedClient> servers = new ArrayList<>();
    private int next;

    public FleetQueue(String queue, List<InetSocketAddress> fleet) throws IOException {
        this.queue = queue;
        ConnectionFactory settings = new ConnectionFactoryBuilder()
                .setFailureMode(FailureMode.Cancel)   // a request to a server that is down fails at once
                .setMaxReconnectDelay(2)              // seconds: find a restarted server soon
                .setOpTimeout(WAIT_MS + 2_500)        // longer than a get may wait
                .build();
        for (InetSocketAddress server : fleet) {
            servers.add(new MemcachedClient(settings, List.of(server)));
        }
        // The connections open in the background, and until one is open a request to its server is
        // cancelled as if the server were down: give them up to a second (a server that is down
        // stays down; put and take skip it).
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        for (MemcachedClient server : servers) {
            while (server.getAvailableServers().isEmpty() && System.nanoTime() < deadline) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
            }
        }
    }

    /** Stores the value on the next server that takes it; false if none did (all refused or down). */
    public boolean put(Object value) {
        for (int tried = 0; tried < servers.size(); tried++) {
            try {
                if (nextServer().set(queue, 0, value).get(5, TimeUnit.SECONDS)) {
                    return true;
                }
            } catch (Exception e) {
                // down, read-only or full: try the next server
            }
        }
        return false;
    }

    /**
     * Takes the items of the next server (up to ITEMS_PER_VISIT, the first waited for up to
     * WAIT_MS) and hands each to the handler, confirming it once the handler has returned. An item
     * whose handler throws goes back to the head of its queue. Returns the number handled.
     */
    public int takeFromNextServer(Consumer<Object> handler) {
        MemcachedClient server = nextServer();
        int handled = 0;
        Object item = get(server, "/t=" + WAIT_MS + "/open");
        while (item != null) {
            try {
                handler.accept(item);
            } catch (RuntimeException e) {
                get(server, "/abort");
                throw e;
            }
            handled++;
            // confirms the item; opens the next one while this server's turn lasts
            item = get(server, handled < ITEMS_PER_VISIT ? "/close/open" : "/close");
        }
        return handled;
    }

    /** A get of the queue with options; null if it is empty, or the server is down or quiescent. */
    private Object get(MemcachedClient server, String options) {
        try {
            return server.get(queue + options);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private MemcachedClient nextServer() {
        MemcachedClient server = servers.get(next);
        next = (next + 1) % servers.size();
        return server;
    }

    @Override
    public void close() {
        servers.forEach(server -> server.shutdown(5, TimeUnit.SECONDS));
    }
}
