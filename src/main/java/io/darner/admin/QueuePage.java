package io.darner.admin;

import java.util.List;

/**
 * One page of the queues, sorted by name.
 *
 * @param total how many queues there are in all
 */
public record QueuePage(int total, int offset, int limit, List<QueueView> queues) {}
