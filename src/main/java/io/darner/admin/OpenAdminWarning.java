package io.darner.admin;

import io.darner.config.AdminConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Warns at start when the HTTP port listens beyond loopback and no admin token is set: other
 * machines then reach the API, and its changes are refused to them ({@link AdminTokenFilter}).
 */
@Singleton
class OpenAdminWarning {
    private static final Logger LOG = Logger.getLogger(OpenAdminWarning.class);

    void onStart(@Observes StartupEvent event, AdminConfig admin,
                 @ConfigProperty(name = "quarkus.http.host", defaultValue = "0.0.0.0") String httpHost) {
        if (admin.token().isEmpty() && !isLoopback(httpHost)) {
            LOG.warnf("no admin token (darner.admin.token, DARNER_ADMIN_TOKEN) while HTTP listens on %s: %s. "
                    + "Set a token to manage the server from elsewhere", httpHost, admin.protectReads()
                            ? "admin reads and changes are accepted only from this machine"
                            : "admin changes (enqueue, flush, delete, redrive, status) are accepted only from this machine, "
                                    + "and admin reads (queues, items, stats) from anyone who reaches the port");
        }
    }

    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
