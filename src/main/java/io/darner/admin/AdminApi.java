package io.darner.admin;

import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;

/** The admin REST API as a whole, for its OpenAPI document (served at /q/openapi, browsed at /q/swagger-ui). */
@OpenAPIDefinition(info = @Info(title = "Darner admin API", version = "1",
        description = "Looks at and manages the queues of a Darner server: the same queues memcache clients use."))
@SecurityScheme(securitySchemeName = AdminApi.TOKEN, type = SecuritySchemeType.HTTP, scheme = "bearer",
        description = "darner.admin.token; required by every request that changes something when it is set")
public class AdminApi extends Application {
    static final String TOKEN = "adminToken";
}
