package io.darner.server;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import org.jboss.logging.Logger;
import sun.misc.Signal;

/**
 * The entry point of the packaged server. It stops the server gracefully on SIGTERM (and SIGINT)
 * and exits with status 0, as a service manager or Kubernetes expects of a clean stop.
 *
 * <p>Without it a JVM stopped by SIGTERM runs its shutdown hooks (Quarkus stops the application in
 * one) and then exits with 143 (128 + 15): Quarkus installs signal handlers only in native images.
 * Here the signal asks Quarkus to exit with 0 instead: the same graceful stop (readiness DOWN,
 * {@code quarkus.shutdown.delay}, the listener's stop, the store's close), then a normal exit.
 */
@QuarkusMain
public final class DarnerMain {
    private static final Logger LOG = Logger.getLogger(DarnerMain.class);

    private DarnerMain() {}

    public static void main(String... args) {
        stopGracefullyOn("TERM");
        stopGracefullyOn("INT");
        Quarkus.run(args);
    }

    private static void stopGracefullyOn(String signal) {
        try {
            Signal.handle(new Signal(signal), s -> {
                LOG.infof("SIG%s: stopping", signal);
                Quarkus.asyncExit(0);
            });
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            // a JVM that reserves the signal (-Xrs) keeps its default: the hooks still stop the server
        }
    }
}
