package io.darner.admin;

import io.darner.config.AdminConfig;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Set;

/**
 * Asks for {@code Authorization: Bearer <token>} on the admin API when a token is configured:
 * on every request that changes something, and on reads too with {@code protect-reads}. Health
 * probes and metrics are not admin resources and stay open.
 */
public class AdminTokenFilter {
    private static final String BEARER = "Bearer ";
    private static final Set<String> READS = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);

    /** The configured token, or null when the API is open. */
    private final byte[] token;
    private final boolean protectReads;

    public AdminTokenFilter(AdminConfig config) {
        this.token = config.token().map(t -> t.getBytes(StandardCharsets.UTF_8)).orElse(null);
        this.protectReads = config.protectReads();
    }

    @ServerRequestFilter
    public Response check(ContainerRequestContext request) {
        if (token == null || (!protectReads && READS.contains(request.getMethod()))) {
            return null;
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
}
