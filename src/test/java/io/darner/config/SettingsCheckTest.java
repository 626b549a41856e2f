package io.darner.config;

import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Every server-wide setting out of range gives one line naming its key, its value and what is allowed. */
class SettingsCheckTest {
    @TempDir
    Path dir;

    private List<String> problems(Map<String, String> settings, Map<String, String> env) {
        Map<String, String> all = new HashMap<>(settings);
        all.putIfAbsent("darner.data-dir", dir.resolve("data").toString());
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(DarnerConfig.class).withMapping(AdminConfig.class).withMapping(MetricsConfig.class)
                .withConverter(MemorySize.class, 100, new MemorySizeConverter())
                .withConverter(Duration.class, 100, new DurationConverter())
                .withSources(new PropertiesConfigSource(all, "test", 250), new EnvConfigSource(env, 300))
                .build();
        return SettingsCheck.problems(config.getConfigMapping(DarnerConfig.class),
                config.getConfigMapping(AdminConfig.class), config.getConfigMapping(MetricsConfig.class), config);
    }

    private List<String> problems(Map<String, String> settings) {
        return problems(settings, Map.of());
    }

    @Test
    void theDefaultsAreGood() {
        assertEquals(List.of(), problems(Map.of()));
        assertEquals(List.of(), problems(Map.of("darner.host", "0.0.0.0", "darner.port", "0",
                "darner.idle-timeout", "500ms", "darner.shutdown-enabled", "TRUE", "darner.metrics.max-queues", "0",
                "darner.admin.token", "secret", "darner.queues.q.fanout-only", "false")));
        for (String engine : List.of("auto", "native", "java", "JAVA")) {
            assertEquals(List.of(), problems(Map.of("darner.store-engine", engine)), engine);
        }
    }

    static Stream<Arguments> badSettings() {
        return Stream.of(
                arguments("darner.port", "70000", "must be from 0 to 65535"),
                arguments("darner.port", "-1", "must be from 0 to 65535"),
                arguments("darner.host", "999.1.1.1", "not an IP address nor a name that resolves"),
                arguments("darner.host", "203.0.113.7", "no interface of this machine has the address 203.0.113.7"),
                arguments("darner.max-line", "-5", "must be from 512 to 65536"),
                arguments("darner.max-line", "5", "must be from 512 to 65536"),
                arguments("darner.max-item-size", "0", "must be from 1 byte to 2147483647 bytes"),
                arguments("darner.max-item-size", "3G", "must be from 1 byte to 2147483647 bytes"),
                arguments("darner.max-connections", "0", "must be at least 1"),
                arguments("darner.max-connections", "-1", "must be at least 1"),
                arguments("darner.max-queues", "-1", "must be at least 1"),
                arguments("darner.max-open-reads", "0", "must be at least 1"),
                arguments("darner.event-loops", "0", "must be from 1 to 1024"),
                arguments("darner.event-loops", "-2", "must be from 1 to 1024"),
                arguments("darner.max-output-buffer", "0", "must be from 1 byte"),
                arguments("darner.store-cache", "0", "must be at least 1 byte"),
                arguments("darner.store-engine", "leveldb", "must be auto, native or java"),
                arguments("darner.idle-timeout", "-5s", "must be longer than 0"),
                arguments("darner.idle-timeout", "0s", "must be longer than 0"),
                arguments("darner.shutdown-grace", "-1s", "must be longer than 0"),
                arguments("darner.shutdown-enabled", "maybe", "must be true or false"),
                arguments("darner.repair-on-start", "sure", "must be true or false"),
                arguments("darner.admin.protect-reads", "maybe", "must be true or false"),
                arguments("darner.admin.max-page-size", "0", "must be at least 1"),
                arguments("darner.admin.max-peek-items", "-1", "must be at least 1"),
                arguments("darner.admin.max-preview-bytes", "0", "must be from 1 byte"),
                arguments("darner.metrics.max-queues", "-1", "must be at least 0"),
                arguments("darner.queue-defaults.fanout-only", "maybe", "must be true or false"),
                arguments("darner.queues.jobs.discard-old-when-full", "maybe", "must be true or false"));
    }

    @ParameterizedTest(name = "{0}={1}")
    @MethodSource("badSettings")
    void aBadSettingIsOneLineNamingKeyValueAndWhatIsAllowed(String key, String value, String allowed) {
        List<String> found = problems(Map.of(key, value));
        assertEquals(1, found.size(), found.toString());
        String line = found.get(0);
        assertTrue(line.startsWith(key + "=" + value + ": "), line);
        assertTrue(line.contains(allowed), line);
        assertTrue(!line.contains("\n"), line);
    }

    @Test
    void everyBadSettingIsReported() {
        assertEquals(3, problems(Map.of("darner.port", "70000", "darner.max-queues", "0",
                "darner.admin.max-page-size", "0")).size());
    }

    @Test
    void aDataDirectoryThatCannotBeCreatedIsNamedWithoutSuggestingARepair() throws Exception {
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        for (Path bad : List.of(file, file.resolve("data"))) {
            List<String> found = problems(Map.of("darner.data-dir", bad.toString()));
            assertEquals(1, found.size(), found.toString());
            assertTrue(found.get(0).startsWith("darner.data-dir=" + bad + ": "), found.get(0));
            assertTrue(!found.get(0).contains("repair"), found.get(0));
        }
    }

    @Test
    void anEmptyTokenIsRefusedNotTakenForNoToken() {
        for (String empty : List.of("", "  ")) {
            List<String> found = problems(Map.of("darner.admin.token", empty));
            assertEquals(1, found.size(), found.toString());
            assertTrue(found.get(0).startsWith("darner.admin.token is set but empty"), found.get(0));
            List<String> fromEnv = problems(Map.of(), Map.of("DARNER_ADMIN_TOKEN", empty));
            assertEquals(found, fromEnv, "DARNER_ADMIN_TOKEN='" + empty + "'");
        }
    }
}
