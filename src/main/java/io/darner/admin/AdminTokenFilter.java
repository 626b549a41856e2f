package io.darner.admin;

import io.darner.config.AdminConfig;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Set;

/**
 * Guards the admin API. With a token configured, every request that changes something (and reads
 * too with {@code protect-reads}) needs {@code Authorization: Bearer <token>}. Without one, those
 * requests are accepted only from this machine (a loopback address), so that a server started
 * without a token is not open to anyone who reaches its HTTP port. Health probes and metrics are
 * not admin resources and stay open.
 */
public class AdminTokenFilter {
    private static final String BEARER = "Bearer ";
    private static final Set<String> READS = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);

    /** The configured token, or null when there is none. */
    private final byte[] token;
    private final boolean protectReads;

    public AdminTokenFilter(AdminConfig config) {
        this.token = config.token().map(t -> t.getBytes(StandardCharsets.UTF_8)).orElse(null);
        this.protectReads = config.protectReads();
    }

    @ServerRequestFilter
    public Response check(ContainerRequestContext request, HttpServerRequest http) {
        if (!protectReads && READS.contains(request.getMethod())) {
            return null;
        }
        if (token == null) {
            return fromLoopback(http.remoteAddress()) ? null : ApiException.response(403,
                    "no admin token is configured (darner.admin.token): changes are accepted only from this machine");
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header != null && header.startsWith(BEARER)
                // constant time, so the token cannot be guessed byte by byte from response times
                && MessageDigest.isEqual(token, header.substring(BEARER.length()).trim().getBytes(StandardCharsets.UTF_8))) {
            return null;
        }
        return Response.fromResponse(ApiException.response(401, "missing or wrong admin token (Authorization: Bearer <token>)"))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build();
    }

    /** Whether the client connected from a loopback address (the peer itself, not a forwarded header). */
    static boolean fromLoopback(SocketAddress client) {
        if (client == null || client.hostAddress() == null) {
            return false;
        }
        try {
            return InetAddress.getByName(client.hostAddress()).isLoopbackAddress(); // an IP literal: no lookup
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
