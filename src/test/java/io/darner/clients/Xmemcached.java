package io.darner.clients;

import net.rubyeye.xmemcached.MemcachedClient;
import net.rubyeye.xmemcached.XMemcachedClientBuilder;
import net.rubyeye.xmemcached.command.KestrelCommandFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;

/** xmemcached, one client per server with its default pool of one connection. */
final class Xmemcached implements QueueClient {
    private final MemcachedClient client;

    /** With {@code kestrel}, its KestrelCommandFactory; otherwise its default (text) command factory. */
    Xmemcached(int port, boolean kestrel) throws IOException {
        XMemcachedClientBuilder builder = new XMemcachedClientBuilder(List.of(new InetSocketAddress("127.0.0.1", port)));
        if (kestrel) {
            builder.setCommandFactory(new KestrelCommandFactory());
        }
        builder.setOpTimeout(5_000); // above the longest wait (t=) of a get (its default, too)
        client = builder.build();
        client.setOptimizeGet(false); // never merge gets into one multi-key get, which takes no options
    }

    @Override
    public boolean set(String key, Object value) throws Exception {
        return client.set(key, 0, value);
    }

    @Override
    public Object get(String key) throws Exception {
        return client.get(key);
    }

    @Override
    public Map<String, Object> getMulti(List<String> keys) throws Exception {
        return client.get(keys);
    }

    @Override
    public void close() throws IOException {
        client.shutdown();
    }
}
