package io.darner.admin;

import io.darner.server.QueueListener;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Readiness: the memcache-protocol listener is bound and not stopping, so clients can connect. */
@Readiness
@ApplicationScoped
public class ListenerReadiness implements HealthCheck {
    private final QueueListener listener;

    public ListenerReadiness(QueueListener listener) {
        this.listener = listener;
    }

    @Override
    public HealthCheckResponse call() {
        int port = listener.port();
        return HealthCheckResponse.named("queue-listener").status(listener.isAccepting()).withData("port", port).build();
    }
}
