package io.darner.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.darner.queue.TooManyQueuesException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.io.UncheckedIOException;

/** Turns every failure of an admin request into a JSON error, whoever raised it. */
public class ErrorMappers {
    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);

    /** Ours carry their JSON body; the framework's (404, 405, 415, unparsable JSON) get one with their message. */
    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        Response r = e.getResponse();
        if (r.hasEntity()) {
            return r;
        }
        return ApiException.response(r.getStatus(),
                e.getCause() instanceof JsonProcessingException json ? malformed(json) : e.getMessage());
    }

    /** JSON of the wrong shape (an array for an object, ...). */
    @ServerExceptionMapper
    public Response mismatchedJson(MismatchedInputException e) {
        return ApiException.response(400, malformed(e));
    }

    /**
     * A new queue past darner.max-queues: a limit reached, not a failure of the store. Answered as
     * the memcache side refuses it, with what the operator can do.
     */
    @ServerExceptionMapper
    public Response tooManyQueues(TooManyQueuesException e) {
        LOG.infof("admin request refused: %s", e.getMessage());
        return ApiException.response(409, e.getMessage() + ": delete queues, or raise the limit");
    }

    @ServerExceptionMapper
    public Response store(UncheckedIOException e) { // the store failed (storage.StoreException is one)
        LOG.warnf("admin request failed in the store: %s", e.getMessage());
        return ApiException.response(500, e.getMessage());
    }

    private static String malformed(JsonProcessingException e) {
        return "malformed JSON body: " + e.getOriginalMessage();
    }
}
