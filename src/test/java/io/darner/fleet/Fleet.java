package io.darner.fleet;

import io.darner.testing.MemcacheClient;
import io.darner.testing.ServerProcess;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Independent packaged servers, each on its own port and data directory, as a fleet is. A server
 * can be SIGKILLed and started again on its port and directory, where its clients look for it.
 * Each kill starts a new incarnation of the server: a connection failure is explained by a kill
 * when the connection was opened in an earlier incarnation, or while the server is down.
 */
final class Fleet implements AutoCloseable {
    private final List<Path> dataDirs = new ArrayList<>();
    private final List<Integer> ports = new ArrayList<>();
    private final List<ServerProcess> servers = new ArrayList<>();
    private final AtomicIntegerArray incarnations;
    private final AtomicIntegerArray down;
    private final AtomicIntegerArray readonly;

    private Fleet(int size) {
        incarnations = new AtomicIntegerArray(size);
        down = new AtomicIntegerArray(size);
        readonly = new AtomicIntegerArray(size);
    }

    /** Starts {@code size} servers, with data directories {@code server-<i>} under {@code root}. */
    static Fleet start(Path root, int size) throws IOException, InterruptedException {
        Fleet fleet = new Fleet(size);
        try {
            for (int i = 0; i < size; i++) {
                Path dir = Files.createDirectories(root.resolve("server-" + i));
                ServerProcess server = ServerProcess.start(dir);
                fleet.dataDirs.add(dir);
                fleet.ports.add(server.port());
                fleet.servers.add(server);
            }
        } catch (IOException | RuntimeException | Error e) {
            fleet.close();
            throw e;
        }
        return fleet;
    }

    int size() {
        return ports.size();
    }

    int port(int server) {
        return ports.get(server);
    }

    /** A new connection to a server; remember {@link #incarnation} first, to judge its failures. */
    MemcacheClient connect(int server) throws IOException {
        return new MemcacheClient(port(server));
    }

    int incarnation(int server) {
        return incarnations.get(server);
    }

    boolean isDown(int server) {
        return down.get(server) == 1;
    }

    /** Whether the kill of a server explains that a connection opened in {@code openedIn} failed. */
    boolean killExplains(int server, int openedIn) {
        return isDown(server) || incarnation(server) > openedIn;
    }

    /** SIGKILL: the server gets no chance to do anything more. */
    void kill(int server) throws InterruptedException {
        down.set(server, 1);
        incarnations.incrementAndGet(server);
        servers.get(server).kill();
    }

    /** Starts a killed server again on its port and data directory. */
    void restart(int server) throws IOException, InterruptedException {
        servers.set(server, ServerProcess.start(dataDirs.get(server), port(server)));
        down.set(server, 0);
    }

    /**
     * Changes a server's status with the {@code status} command. From just before a server is made
     * {@code readonly} until it is back {@code up}, it may refuse sets.
     */
    void setStatus(int server, String status) throws IOException {
        boolean refusing = status.equals("readonly");
        if (refusing) {
            readonly.set(server, 1);
        }
        String reply = call(server, "status " + status);
        if (!reply.equals("END")) {
            throw new AssertionError("status " + status + " on server " + server + ": " + reply);
        }
        if (!refusing) {
            readonly.set(server, 0);
        }
    }

    /** Whether a server may refuse a set now (it is, or is being made, readonly). */
    boolean mayRefuse(int server) {
        return readonly.get(server) == 1;
    }

    /** A request to one server on a connection of its own, for the test's own checks. */
    String call(int server, String line) throws IOException {
        try (MemcacheClient client = connect(server)) {
            return client.call(line);
        }
    }

    /** The {@code dump_stats} fields of a queue on one server. */
    Map<String, Long> queueStats(int server, String queue) throws IOException {
        try (MemcacheClient client = connect(server)) {
            return client.queueStats(queue);
        }
    }

    /** The last lines every server logged, for failure messages. */
    String logs() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < servers.size(); i++) {
            b.append("--- server ").append(i).append('\n').append(servers.get(i).log()).append('\n');
        }
        return b.toString();
    }

    /** Stops every server still running, gracefully. */
    @Override
    public void close() throws InterruptedException {
        for (ServerProcess server : servers) {
            if (server.isAlive()) {
                server.stop();
            }
        }
    }
}
