package io.darner.admin;

import java.util.List;

/**
 * One page of the queues, in the order asked for (by name unless {@code sort} says otherwise).
 *
 * @param total how many queues there are in all (that match the filter, when there is one)
 * @param rates the server's rates: every queue's together
 */
public record QueuePage(int total, int offset, int limit, List<QueueView> queues, Rates rates) {}
