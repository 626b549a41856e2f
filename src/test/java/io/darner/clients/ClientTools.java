package io.darner.clients;

import io.darner.testing.Executables;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The client programs of the matrix (src/test/clients) made ready to run: the Go ones built, the
 * npm client installed, all under target/clients. A tool or library that is missing fails the
 * test that needs it: .ci/run installs them (see docs/clients.md).
 */
final class ClientTools {
    static final Path SOURCES = Path.of("src/test/clients");
    private static final Path BUILD = Path.of("target/clients").toAbsolutePath();
    /** Debian's python3, where its python3-pymemcache, python3-memcache and python3-pylibmc are. */
    static final String PYTHON = "/usr/bin/python3";
    private static final long BUILD_TIMEOUT_S = 120;

    private ClientTools() {
    }

    /** The command that runs a program of src/test/clients (its path there), built or installed first. */
    static List<String> command(String program) throws IOException, InterruptedException {
        Path source = SOURCES.resolve(program);
        if (program.endsWith(".py")) {
            return List.of(PYTHON, source.toString());
        }
        if (program.endsWith(".sh")) {
            return List.of("bash", source.toString());
        }
        if (program.endsWith(".js")) {
            return List.of("node", npmInstalled().resolve(source.getFileName()).toString());
        }
        if (program.startsWith("go/")) {
            return List.of(goBuilt(source).toString());
        }
        if (program.endsWith(".c")) {
            return List.of(cBuilt(source).toString());
        }
        throw new IllegalArgumentException(program);
    }

    /** Builds a Go program against Debian's gomemcache (GOPATH mode, offline); returns the binary. */
    private static Path goBuilt(Path source) throws IOException, InterruptedException {
        Path binary = BUILD.resolve("go").resolve(source.getFileName());
        Files.createDirectories(binary.getParent());
        // GOPATH mode builds a directory given as a relative path (an absolute one is refused)
        run(List.of("go", "build", "-o", binary.toString(), "./" + source),
                Map.of("GO111MODULE", "off", "GOPATH", "/usr/share/gocode", "GOFLAGS", "",
                        "GOCACHE", BUILD.resolve("go-cache").toString()));
        return binary;
    }

    /** Compiles a C program against Debian's libmemcached (libmemcached-dev); returns the binary. */
    private static Path cBuilt(Path source) throws IOException, InterruptedException {
        String name = source.getFileName().toString();
        Path binary = BUILD.resolve("c").resolve(name.substring(0, name.length() - ".c".length()));
        Files.createDirectories(binary.getParent());
        run(List.of("gcc", "-Wall", "-Werror", "-o", binary.toString(), source.toString(), "-lmemcached"), Map.of());
        return binary;
    }

    /**
     * The npm client, at the version package-lock.json pins, installed with the programs in
     * target/clients/js (once: again only when the lock file changed); returns that directory.
     */
    private static Path npmInstalled() throws IOException, InterruptedException {
        Path source = SOURCES.resolve("js");
        Path dir = BUILD.resolve("js");
        Files.createDirectories(dir);
        boolean installed = Files.isDirectory(dir.resolve("node_modules/memcached")) && Files.exists(dir.resolve("package-lock.json"))
                && Files.mismatch(dir.resolve("package-lock.json"), source.resolve("package-lock.json")) == -1;
        try (var files = Files.list(source)) {
            for (Path file : files.toList()) {
                Files.copy(file, dir.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        if (!installed) {
            run(List.of("npm", "ci", "--no-audit", "--no-fund", "--prefix", dir.toString()), Map.of());
        }
        return dir;
    }

    private static void run(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
        Executables.Result result;
        try {
            result = Executables.run(command, env, BUILD_TIMEOUT_S);
        } catch (IOException e) {
            throw new AssertionError(command.get(0) + " is not installed (.ci/run installs it): " + e.getMessage(), e);
        }
        if (!result.ok()) {
            throw new AssertionError(String.join(" ", command) + " failed: " + result);
        }
    }

    /** The lines a program printed, for comparing with the checks expected. */
    static List<String> lines(String stdout) {
        List<String> lines = new ArrayList<>(stdout.lines().toList());
        lines.removeIf(String::isBlank);
        return lines;
    }
}
