package io.darner.clients;

import net.spy.memcached.ConnectionFactoryBuilder;
import net.spy.memcached.MemcachedClient;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** spymemcached, one client per server (one connection), as docs/clients.md sets it up. */
final class Spymemcached implements QueueClient {
    private final MemcachedClient client;

    Spymemcached(int port) throws IOException {
        client = new MemcachedClient(new ConnectionFactoryBuilder()
                .setOpTimeout(5_000) // above the longest wait (t=) of a get; the default is 2.5 s
                .build(), List.of(new InetSocketAddress("127.0.0.1", port)));
    }

    @Override
    public boolean set(String key, Object value) throws Exception {
        return client.set(key, 0, value).get(5, TimeUnit.SECONDS);
    }

    @Override
    public Object get(String key) {
        return client.get(key);
    }

    @Override
    public Map<String, Object> getMulti(List<String> keys) {
        return client.getBulk(keys);
    }

    @Override
    public void close() {
        client.shutdown();
    }
}
