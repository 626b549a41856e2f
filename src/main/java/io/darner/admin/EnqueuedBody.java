package io.darner.admin;

/** What {@code POST /admin/queues/{name}/items} stored. */
public record EnqueuedBody(String queue, int size) {}
