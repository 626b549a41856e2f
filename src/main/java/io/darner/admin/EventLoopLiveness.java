package io.darner.admin;

import io.netty.util.concurrent.EventExecutor;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;

/**
 * Liveness: every Vert.x event loop (the memcache listener's and HTTP's) runs a trivial task
 * within a short time. A loop stuck in a blocking call or a loop of its own fails it, and the
 * orchestrator restarts the process. Asynchronous, so it never waits on the loop it runs on.
 */
@Liveness
@ApplicationScoped
public class EventLoopLiveness implements AsyncHealthCheck {
    static final String NAME = "event-loops";
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final Vertx vertx;

    public EventLoopLiveness(Vertx vertx) {
        this.vertx = vertx;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        List<CompletableFuture<Void>> answers = new ArrayList<>();
        try {
            for (EventExecutor loop : vertx.nettyEventLoopGroup()) {
                CompletableFuture<Void> answered = new CompletableFuture<>();
                loop.execute(() -> answered.complete(null));
                answers.add(answered);
            }
        } catch (RejectedExecutionException shuttingDown) {
            return Uni.createFrom().item(down("event loops are shutting down"));
        }
        int loops = answers.size();
        return Uni.createFrom().completionStage(CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)))
                .map(v -> HealthCheckResponse.named(NAME).up().withData("eventLoops", loops).build())
                .ifNoItem().after(TIMEOUT)
                .recoverWithItem(() -> down("an event loop did not respond within " + TIMEOUT.toMillis() + " ms"));
    }

    private static HealthCheckResponse down(String reason) {
        return HealthCheckResponse.named(NAME).down().withData("reason", reason).build();
    }
}
