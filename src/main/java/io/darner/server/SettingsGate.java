package io.darner.server;

import io.darner.config.AdminConfig;
import io.darner.config.DarnerConfig;
import io.darner.config.MetricsConfig;
import io.darner.config.SettingsCheck;
import io.darner.queue.QueuePolicies;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigurationException;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;
import org.eclipse.microprofile.config.Config;

import java.util.ArrayList;
import java.util.List;

/**
 * Refuses the start when a setting is bad, before the store opens or the listener binds: one line
 * for each bad setting, {@code key=value: what is allowed}. Quarkus prints a
 * {@link ConfigurationException}'s message alone (no stack trace) and exits with status 1.
 */
@Singleton
class SettingsGate {

    void check(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event, DarnerConfig darner,
               AdminConfig admin, MetricsConfig metrics, Config raw) {
        List<String> problems = new ArrayList<>(SettingsCheck.problems(darner, admin, metrics, raw));
        try {
            new QueuePolicies(darner); // checks every per-queue setting
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        if (!problems.isEmpty()) {
            throw new ConfigurationException(String.join("\n", problems));
        }
    }
}
