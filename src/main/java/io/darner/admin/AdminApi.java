package io.darner.admin;

import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;

/** The admin REST API as a whole, for its OpenAPI document (served at /q/openapi, browsed at /q/swagger-ui). */
@OpenAPIDefinition(info = @Info(title = "Darner admin API", version = "1",
        description = "Looks at and manages the queues of a Darner server: the same queues memcache clients use. "
                + "Errors are JSON, {\"error\": \"...\"}, with these codes: 400 an invalid queue name, query "
                + "parameter or body; 401 a token is configured and the request's is missing or wrong; 403 no token is "
                + "configured and a change comes from another machine; 404 no such queue or path; 405 a method the path "
                + "does not take; 406 an Accept header without JSON; 409 the server is readonly or quiescent, the queue "
                + "is full, or a new queue would pass darner.max-queues; 413 a body over the maximum item size; 415 a "
                + "status body that is not JSON; 500 the store failed."))
@SecurityScheme(securitySchemeName = AdminApi.TOKEN, type = SecuritySchemeType.HTTP, scheme = "bearer",
        description = "darner.admin.token; required by every request that changes something when it is set")
public class AdminApi extends Application {
    static final String TOKEN = "adminToken";
}
