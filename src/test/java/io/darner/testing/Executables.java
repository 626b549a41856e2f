package io.darner.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Programs a test may use when the machine has them (kubectl, python3), and running them. */
public final class Executables {
    private Executables() {
    }

    /** The program of that name on the PATH, if any. */
    public static Optional<Path> onPath(String name) {
        String path = System.getenv().getOrDefault("PATH", "");
        return Arrays.stream(path.split(File.pathSeparator)).filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, name)).filter(Files::isExecutable).findFirst();
    }

    /** A python3 that can import {@code module}: the one on the PATH, or the system's (Debian's packages). */
    public static Optional<String> pythonWith(String module) throws IOException, InterruptedException {
        java.util.Set<String> candidates = new java.util.LinkedHashSet<>();
        onPath("python3").ifPresent(p -> candidates.add(p.toString()));
        candidates.add("/usr/bin/python3");
        for (String python : candidates) {
            if (Files.isExecutable(Path.of(python)) && run(List.of(python, "-c", "import " + module), Map.of(), 30).ok()) {
                return Optional.of(python);
            }
        }
        return Optional.empty();
    }

    /** What a finished program printed and its exit code. */
    public record Result(int exitCode, String stdout, String stderr) {
        public boolean ok() {
            return exitCode == 0;
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
        }
    }

    /** Runs a command with extra environment variables; fails if it runs longer than the timeout. */
    public static Result run(List<String> command, Map<String, String> env, long timeoutSeconds)
            throws IOException, InterruptedException {
        Path out = Files.createTempFile("darner-cmd-", ".out");
        Path err = Files.createTempFile("darner-cmd-", ".err");
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
            pb.environment().putAll(env);
            Process process = pb.start();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(command + " still running after " + timeoutSeconds + " s");
            }
            return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
