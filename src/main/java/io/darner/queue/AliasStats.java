package io.darner.queue;

import java.util.List;

/**
 * One alias's figures.
 *
 * @param name the alias
 * @param destinations the queues a set on it is copied to
 * @param totalItems sets it stored (in every destination) since the server started
 */
public record AliasStats(String name, List<String> destinations, long totalItems) {}
