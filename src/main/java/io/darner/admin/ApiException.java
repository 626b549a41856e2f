package io.darner.admin;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** A refused admin request: answered with its status and {@code {"error": message}}. */
public final class ApiException extends WebApplicationException {

    public ApiException(Response.Status status, String message) {
        super(message, response(status.getStatusCode(), message));
    }

    static Response response(int status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(new ErrorBody(message)).build();
    }

    static ApiException badRequest(String message) {
        return new ApiException(Response.Status.BAD_REQUEST, message);
    }

    static ApiException notFound(String message) {
        return new ApiException(Response.Status.NOT_FOUND, message);
    }

    static ApiException conflict(String message) {
        return new ApiException(Response.Status.CONFLICT, message);
    }

    static ApiException tooLarge(String message) {
        return new ApiException(Response.Status.REQUEST_ENTITY_TOO_LARGE, message);
    }
}
