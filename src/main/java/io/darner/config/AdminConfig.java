package io.darner.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/** The admin API's settings, {@code darner.admin.*} ({@code DARNER_ADMIN_*} in the environment). */
@ConfigMapping(prefix = "darner.admin")
public interface AdminConfig {

    /**
     * When set, every admin request that changes something needs {@code Authorization: Bearer <token>}.
     * Unset, those requests are accepted only from loopback addresses; set one to manage the server
     * from elsewhere. Set but empty, the start is refused.
     */
    Optional<String> token();

    /** Whether reading (queue lists, items, stats, status) needs the token too. Health and metrics never do. */
    @WithDefault("false")
    boolean protectReads();

    /** Most queues one page of {@code GET /admin/queues} holds; a larger {@code limit} is refused. */
    @WithDefault("1000")
    int maxPageSize();

    /** Most items {@code GET /admin/queues/{name}/items} returns; a larger {@code limit} is refused. */
    @WithDefault("100")
    int maxPeekItems();

    /** Payload bytes shown per peeked item; a longer item's payload is cut there and marked truncated. */
    @WithDefault("64K")
    MemorySize maxPreviewBytes();

    /**
     * How often the rates and the history are sampled (100ms to 1m). The history keeps the last 720
     * samples: an hour at the default 5s. Rates span the last 3 intervals.
     */
    @WithDefault("5s")
    Duration historyInterval();
}
