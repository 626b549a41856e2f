package io.darner.loadgen;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/**
 * A small memcache-protocol server for tests, one thread per connection, with selectable misbehaviour.
 * Gets understand the options {@code open} and {@code close} (an open read goes back to the head of
 * its queue when its connection ends) and ignore {@code t=}: an empty queue answers at once.
 */
final class FakeServer implements AutoCloseable {
    enum Behaviour {
        /** A queue: get takes the oldest item. */
        FIFO,
        /** A broken queue: get takes the newest item. */
        LIFO,
        /** A cache: get returns the latest item and keeps it. */
        CACHE,
        /** Reads requests, never replies. */
        SILENT
    }

    private final ServerSocket server;
    private final Behaviour behaviour;
    private final UnaryOperator<byte[]> tamper;
    private final Map<String, Deque<byte[]>> queues = new ConcurrentHashMap<>();
    private final AtomicLong confirmed = new AtomicLong();

    FakeServer(Behaviour behaviour) throws IOException {
        this(behaviour, UnaryOperator.identity());
    }

    /** {@code tamper} may change every item on its way out. */
    FakeServer(Behaviour behaviour, UnaryOperator<byte[]> tamper) throws IOException {
        this.server = new ServerSocket(0, 100, InetAddress.getLoopbackAddress());
        this.behaviour = behaviour;
        this.tamper = tamper;
        Thread acceptor = new Thread(this::accept, "fake-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** The queues any request named so far. */
    Set<String> queueNames() {
        return Set.copyOf(queues.keySet());
    }

    /** Open reads confirmed by a get with {@code close}. */
    long confirmed() {
        return confirmed.get();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }

    private void accept() {
        try {
            while (true) {
                Socket socket = server.accept();
                Thread t = new Thread(() -> serve(socket), "fake-connection");
                t.setDaemon(true);
                t.start();
            }
        } catch (IOException e) {
            // closed
        }
    }

    private void serve(Socket socket) {
        Map<String, byte[]> openReads = new HashMap<>();
        try (socket;
                DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
                OutputStream out = new BufferedOutputStream(socket.getOutputStream())) {
            for (String line; (line = readLine(in)) != null; ) {
                String[] words = line.split(" ");
                List<String> key = List.of(words[1].split("/"));
                String name = key.get(0);
                Deque<byte[]> queue = queues.computeIfAbsent(name, q -> new ConcurrentLinkedDeque<>());
                if (key.contains("close") && openReads.remove(name) != null) {
                    confirmed.incrementAndGet();
                }
                if (key.contains("close") && !key.contains("open")) {
                    out.write(Wire.ascii("END\r\n"));
                } else if (words[0].equals("set")) {
                    byte[] data = new byte[Integer.parseInt(words[4])];
                    in.readFully(data);
                    in.readFully(new byte[2]);
                    if (behaviour == Behaviour.CACHE) {
                        queue.clear();
                    }
                    queue.addLast(data);
                    out.write(Wire.ascii("STORED\r\n"));
                } else {
                    byte[] item = switch (behaviour) {
                        case FIFO -> queue.pollFirst();
                        case LIFO -> queue.pollLast();
                        case CACHE -> queue.peekLast();
                        case SILENT -> new byte[0];
                    };
                    if (item != null && key.contains("open")) {
                        openReads.put(name, item);
                    }
                    out.write(item == null ? Wire.ascii("END\r\n") : Wire.value(name, tamper.apply(item)));
                }
                if (behaviour != Behaviour.SILENT) {
                    out.flush();
                }
            }
        } catch (IOException e) {
            // the client went away
        } finally {
            openReads.forEach((name, item) -> queues.get(name).addFirst(item));
        }
    }

    private static String readLine(DataInputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b; (b = in.read()) != '\n'; ) {
            if (b < 0) {
                return null;
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.US_ASCII);
    }
}
