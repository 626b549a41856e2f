package io.darner.clients;

import net.spy.memcached.MemcachedClient;

import java.util.function.Consumer;

/**
 * A reliable consumer with spymemcached: every item handled is confirmed; one whose handler throws
 * goes back to the head of its queue; one open when the connection breaks is delivered again.
 */
final class ReliableConsumer {
    static final int WAIT_MS = 500; // a get waits this long for an item

    private ReliableConsumer() {
    }

    /**
     * Hands each item of the queue to the handler, confirming it once the handler has returned,
     * until the queue stays empty for WAIT_MS. The client's operation timeout must be longer than
     * the wait (ConnectionFactoryBuilder.setOpTimeout; its default is 2.5 s).
     */
    static void consume(MemcachedClient client, String queue, Consumer<Object> handler) {
        Object item = client.get(queue + "/t=" + WAIT_MS + "/open");
        while (item != null) {
            try {
                handler.accept(item);
            } catch (RuntimeException e) {
                client.get(queue + "/abort");
                throw e;
            }
            item = client.get(queue + "/t=" + WAIT_MS + "/close/open"); // confirms it, opens the next
        }
    }
}
