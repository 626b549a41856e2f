package io.darner.admin;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;

/**
 * Serves the admin API's OpenAPI document at /q/openapi: YAML, or JSON with {@code ?format=json} or an
 * Accept header asking for JSON; /q/openapi.json and /q/openapi.yaml name the format. The document is
 * written at build time from the resources' annotations (smallrye-open-api-maven-plugin, pom.xml), so
 * the server neither scans nor builds anything for it at start; its bytes are read once, on first use.
 */
@ApplicationScoped
public class OpenApiDocument {
    private static final String PATH = "/q/openapi";
    private static final String JSON = "application/json;charset=UTF-8";
    private static final String YAML = "application/yaml;charset=UTF-8";

    /** Both formats, read together on first use. */
    private record Texts(Buffer json, Buffer yaml) {}

    private volatile Texts texts;

    void route(@Observes Router router) {
        router.get(PATH).handler(this::negotiated);
        router.get(PATH + ".json").handler(ctx -> send(ctx, true));
        router.get(PATH + ".yaml").handler(ctx -> send(ctx, false));
        router.get(PATH + ".yml").handler(ctx -> send(ctx, false));
    }

    private void negotiated(RoutingContext ctx) {
        String format = ctx.request().getParam("format");
        String accept = ctx.request().getHeader(HttpHeaders.ACCEPT);
        boolean asJson = format != null ? format.toLowerCase(Locale.ROOT).equals("json")
                : accept != null && accept.contains("json") && !accept.contains("yaml");
        send(ctx, asJson);
    }

    private void send(RoutingContext ctx, boolean asJson) {
        Texts t = texts;
        if (t == null) {
            texts = t = new Texts(read("openapi.json"), read("openapi.yaml"));
        }
        ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, asJson ? JSON : YAML).end(asJson ? t.json() : t.yaml());
    }

    private static Buffer read(String name) {
        try (InputStream in = OpenApiDocument.class.getResourceAsStream("/META-INF/darner/" + name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the jar: the build writes it (pom.xml)");
            }
            return Buffer.buffer(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
