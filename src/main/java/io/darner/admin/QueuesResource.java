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
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.ArrayList;
import java.util.List;

/** The queues: list them, look at one, flush or delete one. Reading never creates a queue. */
@Path("/admin/queues")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "queues")
public class QueuesResource {
    private static final int DEFAULT_PAGE = 100;

    private final QueueRepository repo;
    private final QueueAccess access;
    private final int maxPage;

    public QueuesResource(QueueRepository repo, QueueAccess access, AdminConfig config) {
        this.repo = repo;
        this.access = access;
        this.maxPage = config.maxPageSize();
    }

    @GET
    @Operation(summary = "Lists the queues with their figures and settings, sorted by name, a page at a time")
    @APIResponse(responseCode = "200", description = "one page of queues")
    @APIResponse(responseCode = "400", description = "offset or limit out of range (limit: 1 to darner.admin.max-page-size)")
    public QueuePage list(@QueryParam("offset") String offsetParam, @QueryParam("limit") String limitParam) {
        int offset = QueryParams.inRange("offset", offsetParam, 0, 0, Integer.MAX_VALUE);
        int limit = QueryParams.inRange("limit", limitParam, Math.min(DEFAULT_PAGE, maxPage), 1, maxPage);
        List<String> names = repo.names();
        List<QueueView> page = new ArrayList<>();
        int from = Math.min(offset, names.size());
        for (String name : names.subList(from, (int) Math.min(from + (long) limit, names.size()))) {
            QueueView view = view(name);
            if (view != null) {
                page.add(view);
            }
        }
        return new QueuePage(names.size(), offset, limit, page);
    }

    @GET
    @Path("{name}")
    @Operation(summary = "One queue's figures and settings")
    @APIResponse(responseCode = "200", description = "the queue")
    @APIResponse(responseCode = "400", description = "invalid queue name")
    @APIResponse(responseCode = "404", description = "no such queue")
    public QueueView get(@PathParam("name") String name) {
        QueueView view = view(access.validName(name));
        if (view == null) {
            throw QueueAccess.noSuchQueue(name);
        }
        return view;
    }

    /** The queue's view, or null when it was deleted meanwhile. */
    private QueueView view(String name) {
        Queue q = repo.find(name);
        QueueStats stats = repo.stats(name);
        return q == null || stats == null ? null : QueueView.of(stats, q.policy());
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
