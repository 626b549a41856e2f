package io.darner.admin;

import io.darner.queue.AliasStats;
import io.darner.queue.QueueRepository;
import io.darner.queue.ServerStatus;
import io.darner.server.QueueListener;
import io.darner.server.StatsReport;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;
import java.util.Map;

/** The server as a whole: its stats, its store engine, its history, its status, flushing every queue. */
@Path("/admin")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "server")
public class ServerResource {
    private final QueueRepository repo;
    private final QueueListener listener;
    private final QueueAccess access;
    private final QueueSampler sampler;

    public ServerResource(QueueRepository repo, QueueListener listener, QueueAccess access, QueueSampler sampler) {
        this.repo = repo;
        this.listener = listener;
        this.access = access;
        this.sampler = sampler;
    }

    @GET
    @Path("stats")
    @Operation(summary = "The figures of the memcache stats command, in the same order, as strings")
    public Map<String, String> stats() {
        return StatsReport.global(repo, listener.connectionStats(), listener.startedAtMs(), listener.version());
    }

    @GET
    @Path("aliases")
    @Operation(summary = "The aliases, sorted by name: each one's destination queues and the sets it stored",
            description = "An alias (darner.aliases.<name>.destinations) stores a copy of every set in each of its "
                    + "destinations, all or none; it holds no items and is not a queue.")
    @APIResponse(responseCode = "200", description = "the aliases")
    public List<AliasStats> aliases() {
        return repo.aliasStats();
    }

    @GET
    @Path("store-engine")
    @Operation(summary = "Which LevelDB the store runs on (native or java), the setting that chose it, and why",
            description = "darner.store-engine=auto takes the native LevelDB where its library loads, the pure-Java "
                    + "port elsewhere; the reason says what the loading found.")
    public StoreEngineView storeEngine() {
        return StoreEngineView.of(repo.storeEngine());
    }

    @GET
    @Path("history")
    @Operation(summary = "The server's samples over the last hour: every queue's depth, open reads and rates together",
            description = "One sample every darner.admin.history-interval (5 s), the last 720. oldestAgeMs is the "
                    + "largest among the queues that keep history (the first darner.metrics.max-queues by name).")
    @APIResponse(responseCode = "200", description = "the samples, as columns, oldest first")
    public HistoryView history() {
        return sampler.serverHistory();
    }

    @POST
    @Path("flush-all")
    @Operation(summary = "Removes every item of every queue (the memcache flush_all command)")
    @SecurityRequirement(name = AdminApi.TOKEN)
    @APIResponse(responseCode = "204", description = "flushed")
    @APIResponse(responseCode = "401", description = "admin token missing or wrong")
    @APIResponse(responseCode = "403", description = "no admin token is configured and the request is not from this machine")
    @APIResponse(responseCode = "409", description = "the server is readonly or quiescent")
    @APIResponse(responseCode = "500", description = "the store failed (full disk, I/O error)")
    public void flushAll() {
        access.requireWritable();
        repo.flushAll();
    }

    @GET
    @Path("status")
    @Operation(summary = "The server status: up, readonly or quiescent")
    public StatusBody status() {
        return new StatusBody(repo.status().word());
    }

    @PUT
    @Path("status")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Changes the server status; it is kept across restarts",
            description = "readonly refuses sets, flushes and deletes; quiescent also refuses gets, and makes the "
                    + "readiness probe fail, so a load balancer stops sending clients.")
    @SecurityRequirement(name = AdminApi.TOKEN)
    @APIResponse(responseCode = "200", description = "the new status")
    @APIResponse(responseCode = "400", description = "not one of up, readonly, quiescent")
    @APIResponse(responseCode = "401", description = "admin token missing or wrong")
    @APIResponse(responseCode = "403", description = "no admin token is configured and the request is not from this machine")
    @APIResponse(responseCode = "415", description = "the body is not application/json")
    @APIResponse(responseCode = "500", description = "the store failed (full disk, I/O error)")
    public StatusBody setStatus(StatusBody body) {
        ServerStatus status = body == null || body.status() == null ? null : ServerStatus.parse(body.status());
        if (status == null) {
            throw ApiException.badRequest("status must be one of up, readonly, quiescent, as {\"status\": \"...\"}");
        }
        repo.setStatus(status);
        return new StatusBody(status.word());
    }
}
