package io.darner.admin;

import io.darner.config.AdminConfig;
import io.darner.queue.Queue;
import io.darner.queue.QueueRepository;
import io.darner.queue.QueueStats;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** The queues: list them, look at one and its history, flush or delete one. Reading never creates a queue. */
@Path("/admin/queues")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "queues")
public class QueuesResource {
    private static final int DEFAULT_PAGE = 100;

    private final QueueRepository repo;
    private final QueueAccess access;
    private final QueueSampler sampler;
    private final int maxPage;

    public QueuesResource(QueueRepository repo, QueueAccess access, QueueSampler sampler, AdminConfig config) {
        this.repo = repo;
        this.access = access;
        this.sampler = sampler;
        this.maxPage = config.maxPageSize();
    }

    @GET
    @Operation(summary = "Lists the queues with their figures, rates and settings, a page at a time",
            description = "Sorted by name unless sort names another field (ties go by name); filter keeps the "
                    + "queues whose name contains it (ignoring case), and total counts those. trend=n adds each "
                    + "queue's last n sampled depths (for the queues that keep history). rates is the server's.")
    @APIResponse(responseCode = "200", description = "one page of queues")
    @APIResponse(responseCode = "400", description = "offset, limit, trend, sort or order out of range (limit: 1 to "
            + "darner.admin.max-page-size; trend: 0 to 720)")
    public QueuePage list(@QueryParam("offset") String offsetParam, @QueryParam("limit") String limitParam,
            @Parameter(description = "a part of the name, ignoring case") @QueryParam("filter") String filter,
            @Parameter(description = "the field to sort by: name (the default), items, bytes, openReads, delayed, "
                    + "waiters, ageMs, totalItems, expiredItems, discarded, deadLettered, logSize, itemsInPerSecond, "
                    + "itemsOutPerSecond, bytesInPerSecond, bytesOutPerSecond") @QueryParam("sort") String sort,
            @Parameter(description = "asc (the default) or desc") @QueryParam("order") String order,
            @Parameter(description = "how many of the last sampled depths to add to each queue (0, the default: none)")
            @QueryParam("trend") String trendParam) {
        int offset = QueryParams.inRange("offset", offsetParam, 0, 0, Integer.MAX_VALUE);
        int limit = QueryParams.inRange("limit", limitParam, Math.min(DEFAULT_PAGE, maxPage), 1, maxPage);
        int trend = QueryParams.inRange("trend", trendParam, 0, 0, QueueSampler.HISTORY_SAMPLES);
        boolean descending = QueueOrder.descending(order);
        Comparator<QueueView> comparator = QueueOrder.of(sort, descending);
        List<String> names = matching(repo.names(), filter);
        List<QueueView> page = new ArrayList<>();
        int from = Math.min(offset, names.size());
        int to = (int) Math.min(from + (long) limit, names.size());
        if (QueueOrder.byNameAscending(sort, descending)) {
            for (String name : names.subList(from, to)) { // only the page's queues are looked at
                addView(page, name, trend);
            }
        } else {
            List<QueueView> all = new ArrayList<>(names.size());
            names.forEach(name -> addView(all, name, 0));
            all.sort(comparator);
            for (QueueView v : all.subList(Math.min(from, all.size()), Math.min(to, all.size()))) {
                page.add(trend == 0 ? v : v.withTrend(sampler.trend(v.name(), trend)));
            }
        }
        return new QueuePage(names.size(), offset, limit, page, sampler.serverRates());
    }

    private static List<String> matching(List<String> names, String filter) {
        if (filter == null || filter.isEmpty()) {
            return names;
        }
        String part = filter.toLowerCase(Locale.ROOT);
        List<String> out = new ArrayList<>();
        for (String name : names) {
            if (name.toLowerCase(Locale.ROOT).contains(part)) {
                out.add(name);
            }
        }
        return out;
    }

    private void addView(List<QueueView> out, String name, int trend) {
        QueueView view = view(name, trend);
        if (view != null) {
            out.add(view);
        }
    }

    @GET
    @Path("{name}")
    @Operation(summary = "One queue's figures, rates and settings")
    @APIResponse(responseCode = "200", description = "the queue")
    @APIResponse(responseCode = "400", description = "invalid queue name")
    @APIResponse(responseCode = "404", description = "no such queue")
    public QueueView get(@PathParam("name") String name) {
        QueueView view = view(access.validName(name), 0);
        if (view == null) {
            throw QueueAccess.noSuchQueue(name);
        }
        return view;
    }

    @GET
    @Path("{name}/history")
    @Operation(summary = "The queue's samples over the last hour: depth, open reads, age of the oldest item, rates",
            description = "One sample every darner.admin.history-interval (5 s), the last 720. Only the first "
                    + "darner.metrics.max-queues queues by name keep history; for the others kept is false and "
                    + "the arrays are empty.")
    @APIResponse(responseCode = "200", description = "the samples, as columns, oldest first")
    @APIResponse(responseCode = "400", description = "invalid queue name")
    @APIResponse(responseCode = "404", description = "no such queue")
    public HistoryView history(@PathParam("name") String name) {
        access.existing(name);
        return sampler.history(name);
    }

    /** The queue's view, or null when it was deleted meanwhile. */
    private QueueView view(String name, int trend) {
        Queue q = repo.find(name);
        QueueStats stats = repo.stats(name);
        return q == null || stats == null ? null
                : QueueView.of(stats, q.policy(), repo.isDeadLetterQueue(name), sampler.rates(name),
                        trend == 0 ? null : sampler.trend(name, trend));
    }

    @POST
    @Path("{name}/flush")
    @Operation(summary = "Removes every item of the queue (the memcache flush command)")
    @SecurityRequirement(name = AdminApi.TOKEN)
    @APIResponse(responseCode = "204", description = "flushed")
    @APIResponse(responseCode = "400", description = "invalid queue name")
    @APIResponse(responseCode = "401", description = "admin token missing or wrong")
    @APIResponse(responseCode = "403", description = "no admin token is configured and the request is not from this machine")
    @APIResponse(responseCode = "404", description = "no such queue")
    @APIResponse(responseCode = "409", description = "the server is readonly or quiescent")
    @APIResponse(responseCode = "500", description = "the store failed (full disk, I/O error)")
    public void flush(@PathParam("name") String name) {
        access.existing(name);
        access.requireWritable();
        repo.flush(name);
    }

    @POST
    @Path("{name}/redrive")
    @Operation(summary = "Moves dead letters back: items from the head, in order, each to its origin queue (or to "
            + "'to'), at the tail, with its delivery count reset",
            description = "A dead-lettered item keeps the name of the queue it was dead-lettered from, its origin. "
                    + "The redrive stops early at an item that has nowhere to go (no origin, from before origins "
                    + "were kept or set into the queue directly, and no 'to') or whose destination is full; that "
                    + "item stays at the head.")
    @SecurityRequirement(name = AdminApi.TOKEN)
    @APIResponse(responseCode = "200", description = "how many items moved")
    @APIResponse(responseCode = "400", description = "invalid queue name, limit (1 or more), or 'to' (a valid queue "
            + "name, not this queue, not an alias)")
    @APIResponse(responseCode = "401", description = "admin token missing or wrong")
    @APIResponse(responseCode = "403", description = "no admin token is configured and the request is not from this machine")
    @APIResponse(responseCode = "404", description = "no such queue")
    @APIResponse(responseCode = "409", description = "the server is readonly or quiescent, or a destination would be "
            + "a new queue past darner.max-queues")
    @APIResponse(responseCode = "500", description = "the store failed (full disk, I/O error)")
    public RedriveBody redrive(@PathParam("name") String name,
            @Parameter(description = "the most items to move (default: all)") @QueryParam("limit") String limitParam,
            @Parameter(description = "move every item to this queue instead of its origin") @QueryParam("to") String to) {
        access.existing(name);
        long limit = QueryParams.inRange("limit", limitParam, Long.MAX_VALUE, 1, Long.MAX_VALUE);
        if (to != null) {
            access.validName(to);
            if (to.equals(name)) {
                throw ApiException.badRequest("to must name another queue than '" + name + "'");
            }
            if (repo.isAlias(to)) {
                throw ApiException.badRequest("to names an alias, '" + to + "': items move to a queue");
            }
        }
        access.requireWritable();
        long moved = repo.redrive(name, limit, to);
        if (moved < 0) {
            throw QueueAccess.noSuchQueue(name);
        }
        return new RedriveBody(moved);
    }

    @DELETE
    @Path("{name}")
    @Operation(summary = "Deletes the queue with its items and stats (the memcache delete command)")
    @SecurityRequirement(name = AdminApi.TOKEN)
    @APIResponse(responseCode = "204", description = "deleted")
    @APIResponse(responseCode = "400", description = "invalid queue name")
    @APIResponse(responseCode = "401", description = "admin token missing or wrong")
    @APIResponse(responseCode = "403", description = "no admin token is configured and the request is not from this machine")
    @APIResponse(responseCode = "404", description = "no such queue")
    @APIResponse(responseCode = "409", description = "the server is readonly or quiescent")
    @APIResponse(responseCode = "500", description = "the store failed (full disk, I/O error)")
    public void delete(@PathParam("name") String name) {
        access.existing(name);
        access.requireWritable();
        if (!repo.delete(name)) {
            throw QueueAccess.noSuchQueue(name);
        }
    }
}
