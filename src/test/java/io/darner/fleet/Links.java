package io.darner.fleet;

import io.darner.testing.ItemId;
import io.darner.testing.MemcacheClient;

import java.io.IOException;

/**
 * One worker's connections, one to each server of the fleet, opened when first needed and again
 * after a failure; a server that refused a connection is not tried again for
 * {@value #RETRY_AFTER_MS} ms. A reliable read belongs to its connection: the item a consumer
 * opened is kept with the connection, open on the server until a reply on that connection confirms it.
 */
final class Links implements AutoCloseable {
    private static final long RETRY_AFTER_MS = 100;

    /** A connection to one server, the incarnation of the server it was opened in, and the item it holds open. */
    static final class Link {
        final int server;
        final MemcacheClient client;
        final int incarnation;
        ItemId open;

        private Link(int server, MemcacheClient client, int incarnation) {
            this.server = server;
            this.client = client;
            this.incarnation = incarnation;
        }
    }

    private final Fleet fleet;
    private final FleetLedger ledger;
    private final String worker;
    private final Link[] links;
    private final long[] retryAt;

    Links(Fleet fleet, FleetLedger ledger, String worker) {
        this.fleet = fleet;
        this.ledger = ledger;
        this.worker = worker;
        this.links = new Link[fleet.size()];
        this.retryAt = new long[fleet.size()];
    }

    /** The connection to a server, or null while the server is down (when a refused connection is expected). */
    Link get(int server) {
        if (links[server] == null && System.currentTimeMillis() >= retryAt[server]) {
            int incarnation = fleet.incarnation(server);
            try {
                links[server] = new Link(server, fleet.connect(server), incarnation);
            } catch (IOException e) {
                retryAt[server] = System.currentTimeMillis() + RETRY_AFTER_MS;
                if (!fleet.isDown(server)) {
                    ledger.unexpected(worker + " could not connect to server " + server + ", which is up: " + e);
                }
            }
        }
        return links[server];
    }

    /**
     * Drops a connection that failed. True if the kill of its server explains the failure; an
     * unexplained failure is recorded as unexpected.
     */
    boolean failed(Link link, IOException e) {
        links[link.server] = null;
        closeQuietly(link);
        if (fleet.killExplains(link.server, link.incarnation)) {
            return true;
        }
        ledger.unexpected(worker + " on server " + link.server + ", which was not killed: " + e);
        return false;
    }

    @Override
    public void close() {
        for (Link link : links) {
            if (link != null) {
                closeQuietly(link);
            }
        }
    }

    private static void closeQuietly(Link link) {
        try {
            link.client.close();
        } catch (IOException ignored) {
            // the connection is gone either way
        }
    }
}
