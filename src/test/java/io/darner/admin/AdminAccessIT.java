package io.darner.admin;

import io.darner.testing.ServerProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The packaged server as started by the README's command, whose HTTP port listens on every address:
 * without a token, admin changes are accepted from this machine only (a client connecting to one
 * of its other addresses is not on loopback), with a warning at start; with a token, from anywhere
 * that sends it, as in Kubernetes.
 */
class AdminAccessIT {
    private final HttpClient http = HttpClient.newHttpClient();
    @TempDir
    Path dir;
    private ServerProcess server;

    @AfterEach
    void stop() throws InterruptedException {
        if (server != null && server.isAlive()) {
            server.kill();
        }
    }

    @Test
    void withoutATokenChangesComeOnlyFromThisMachine() throws Exception {
        InetAddress external = externalAddress().orElse(null);
        assumeTrue(external != null, "this machine has no address but loopback");
        server = ServerProcess.start(dir);
        server.awaitLog("no admin token (darner.admin.token, DARNER_ADMIN_TOKEN) while HTTP listens on 0.0.0.0", 10_000);

        HttpResponse<String> remote = send(external, "POST", "/admin/flush-all", null);
        assertEquals(403, remote.statusCode(), remote.body());
        assertTrue(remote.body().contains("no admin token is configured"), remote.body());
        assertEquals(200, send(external, "GET", "/admin/queues", null).statusCode(), "reads stay open");
        assertEquals(204, send(InetAddress.getLoopbackAddress(), "POST", "/admin/flush-all", null).statusCode());
    }

    @Test
    void withATokenChangesComeFromAnywhereThatSendsIt() throws Exception {
        InetAddress external = externalAddress().orElse(InetAddress.getLoopbackAddress());
        server = new ServerProcess.Options(dir).env("DARNER_ADMIN_TOKEN", "it-token").start();

        assertEquals(401, send(InetAddress.getLoopbackAddress(), "POST", "/admin/flush-all", null).statusCode(),
                "a token is asked of loopback clients too");
        assertEquals(204, send(external, "POST", "/admin/flush-all", "it-token").statusCode());
        assertTrue(server.logLines("no admin token").isEmpty(), server.log());
    }

    private HttpResponse<String> send(InetAddress to, String method, String path, String token) throws Exception {
        String host = to.getHostAddress();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + host + ":" + server.httpPort() + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** An IPv4 address of one of this machine's interfaces other than loopback. */
    private static Optional<InetAddress> externalAddress() throws SocketException {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (nic.isUp() && !nic.isLoopback()) {
                for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                    if (a instanceof Inet4Address) {
                        return Optional.of(a);
                    }
                }
            }
        }
        return Optional.empty();
    }
}
