package io.darner.admin;

import io.darner.config.AdminConfig;
import io.darner.config.DarnerConfig;
import io.darner.protocol.Request;
import io.darner.queue.ItemIntake;
import io.darner.queue.PutResult;
import io.darner.queue.Queue;
import io.darner.queue.QueueRepository;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A queue's items: peek at the first ones, or add one (for trying things with curl). */
@Path("/admin/queues/{name}/items")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "queues")
public class QueueItemsResource {
    private static final int DEFAULT_PEEK = 10;
    private static final long MAX_FLAGS = 0xFFFF_FFFFL;
    /** How long an enqueue waits for its fsync on a queue that syncs always. */
    private static final long SYNC_WAIT_SECONDS = 30;

    private final QueueRepository repo;
    private final QueueAccess access;
    private final ItemPeeker peeker;
    private final int maxPeek;
    private final long maxItemSize;

    public QueueItemsResource(QueueRepository repo, QueueAccess access, ItemPeeker peeker, AdminConfig admin,
                              DarnerConfig config) {
        this.repo = repo;
        this.access = access;
        this.peeker = peeker;
        this.maxPeek = admin.maxPeekItems();
        this.maxItemSize = config.maxItemSize().asLongValue();
    }

    @GET
    @Operation(summary = "The first items of the queue, without taking them",
            description = "Expired items are left out. A payload is text when it is valid UTF-8, else base64, and holds at "
                    + "most darner.admin.max-preview-bytes (truncated=true when the item is longer).")
    @APIResponse(responseCode = "200", description = "the items, head first")
    @APIResponse(responseCode = "400", description = "invalid queue name, or limit out of range (1 to darner.admin.max-peek-items)")
    @APIResponse(responseCode = "404", description = "no such queue")
    public List<ItemView> peek(@PathParam("name") String name, @QueryParam("limit") String limitParam) {
        Queue q = access.existing(name);
        int limit = QueryParams.inRange("limit", limitParam, Math.min(DEFAULT_PEEK, maxPeek), 1, maxPeek);
        return peeker.peek(q, limit);
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Adds the request body as one item at the tail (the queue is created if new)",
            description = "flags and exptime are those of the memcache set command: exptime 0 never expires, below "
                    + "1000000 it is seconds from now, else a Unix time. delay (ms, up to 30 days; 0, the default, for "
                    + "none) stores the item at once but hands it out only when due, as set <q>/delay=<ms> does.")
    @SecurityRequirement(name = AdminApi.TOKEN)
    @APIResponse(responseCode = "201", description = "stored")
    @APIResponse(responseCode = "400", description = "invalid queue name, flags, exptime or delay")
    @APIResponse(responseCode = "401", description = "admin token missing or wrong")
    @APIResponse(responseCode = "403", description = "no admin token is configured and the request is not from this machine")
    @APIResponse(responseCode = "409", description = "the server is readonly or quiescent, the queue is full, or it "
            + "would be a new queue past darner.max-queues")
    @APIResponse(responseCode = "413", description = "the body is over the (queue's) maximum item size")
    @APIResponse(responseCode = "500", description = "the store failed (full disk, I/O error)")
    public Response enqueue(@PathParam("name") String name, @QueryParam("flags") String flagsParam,
                            @QueryParam("exptime") String exptimeParam, @QueryParam("delay") String delayParam,
                            @HeaderParam(HttpHeaders.CONTENT_LENGTH) Long contentLength, InputStream body)
            throws IOException {
        access.validName(name);
        long flags = QueryParams.inRange("flags", flagsParam, 0, 0, MAX_FLAGS);
        long exptime = QueryParams.inRange("exptime", exptimeParam, 0, Long.MIN_VALUE / 1000, Long.MAX_VALUE / 1000);
        long delay = QueryParams.inRange("delay", delayParam, 0, 0, Request.MAX_DELAY_MS);
        access.requireWritable();
        Queue existing = repo.find(name);
        long limit = existing == null ? maxItemSize : existing.policy().maxItemSize();
        if (contentLength != null && contentLength > limit) {
            throw BodyItem.tooLarge(limit); // refused before reading, like a memcache set
        }
        ItemIntake item = BodyItem.read(body, limit, repo);
        repo.counters().cmdSet.increment();
        if (item.finish(name, flags, exptime, delay) != PutResult.STORED) {
            throw notStored(name, item.length());
        }
        awaitDurable(name);
        return Response.status(Response.Status.CREATED).entity(new EnqueuedBody(name, item.length())).build();
    }

    /** Why the queue refused the item: too large for this queue (413) or full (409). */
    private ApiException notStored(String name, int length) {
        Queue q = repo.find(name);
        if (q != null && length > q.policy().maxItemSize()) {
            return BodyItem.tooLarge(q.policy().maxItemSize());
        }
        if (q != null && q.policy().fanoutOnly()) {
            return ApiException.conflict("not stored: '" + name + "' is fanout-only and has no child queue");
        }
        return ApiException.conflict("not stored: queue '" + name + "' is full");
    }

    /** On a queue that syncs always, answers only once the item is on disk, as a memcache set does. */
    private void awaitDurable(String name) {
        CompletableFuture<Void> durable = repo.durability(name, false);
        if (durable == null) {
            return;
        }
        try {
            durable.get(SYNC_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException("interrupted waiting for fsync", new InterruptedIOException());
        } catch (ExecutionException | TimeoutException e) {
            throw new UncheckedIOException("stored, but not confirmed on disk: " + e.getMessage(),
                    new IOException(e.getMessage(), e));
        }
    }
}
