package io.darner.config;

import io.darner.testing.ServerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * The packaged server started with one bad setting at a time: it exits with status 1 before the
 * store opens, having printed one line that names the key, the value and what is allowed, and no
 * stack trace.
 */
class BadSettingsIT {
    /** Under a regular file: a directory that can never be created. */
    private static final String UNCREATABLE = "a-file/data";

    @TempDir
    Path dir;

    static Stream<Arguments> badSettings() {
        return Stream.of(
                arguments("darner.port", "70000", "must be from 0 to 65535"),
                arguments("darner.host", "999.1.1.1", "not an IP address nor a name that resolves"),
                arguments("darner.data-dir", UNCREATABLE, "cannot be created"),
                arguments("darner.max-line", "-5", "must be from 512 to 65536"),
                arguments("darner.max-line", "5", "must be from 512 to 65536"),
                arguments("darner.max-connections", "0", "must be at least 1"),
                arguments("darner.max-connections", "-1", "must be at least 1"),
                arguments("darner.max-queues", "-1", "must be at least 1"),
                arguments("darner.idle-timeout", "-5s", "must be longer than 0"),
                arguments("darner.shutdown-grace", "-1s", "must be longer than 0"),
                arguments("darner.event-loops", "0", "must be from 1 to 1024"),
                arguments("darner.event-loops", "-2", "must be from 1 to 1024"),
                arguments("darner.max-output-buffer", "0", "must be from 1 byte"),
                arguments("darner.store-cache", "0", "must be at least 1 byte"),
                arguments("darner.shutdown-enabled", "maybe", "must be true or false"),
                arguments("darner.admin.max-peek-items", "-1", "must be at least 1"),
                arguments("darner.admin.max-page-size", "0", "must be at least 1"),
                arguments("darner.admin.max-preview-bytes", "0", "must be from 1 byte"),
                arguments("darner.metrics.max-queues", "-1", "must be at least 0"),
                arguments("darner.admin.token", "", "is set but empty"),
                arguments("darner.queues.\"billing.v2\".max-items", "0", "must be greater than 0"),
                arguments("darner.aliases.\"both\".destinations", "a,a", "names 'a' twice"));
    }

    @ParameterizedTest(name = "{0}={1}")
    @MethodSource("badSettings")
    void theStartIsRefusedWithOneLineNamingTheSetting(String key, String value, String allowed) throws Exception {
        Files.writeString(dir.resolve("a-file"), "not a directory");
        String shown = value.equals(UNCREATABLE) ? dir.resolve(UNCREATABLE).toString() : value;
        ServerProcess server = new ServerProcess.Options(dir.resolve("data")).property(key, shown).startAndExpectExit();

        assertEquals(1, server.exitValue(), server.log());
        String prefix = key.equals("darner.admin.token") ? key + " " : key + "=" + shown + ": ";
        List<String> lines = server.logLines(prefix);
        assertEquals(1, lines.size(), "one line names " + key + "\n" + server.log());
        assertTrue(lines.get(0).startsWith(prefix) && lines.get(0).contains(allowed), lines.get(0));
        assertFalse(lines.get(0).contains("repair"), lines.get(0));
        assertTrue(server.logLines("\tat ").isEmpty(), "no stack trace\n" + server.log());
        assertTrue(server.logLines("store opened").isEmpty(), "refused before the store opens\n" + server.log());
    }

    @Test
    void anEmptyTokenInTheEnvironmentIsRefusedToo() throws Exception {
        ServerProcess server = new ServerProcess.Options(dir).env("DARNER_ADMIN_TOKEN", "").startAndExpectExit();
        assertEquals(1, server.exitValue(), server.log());
        assertEquals(1, server.logLines("darner.admin.token is set but empty").size(), server.log());
    }
}
