package io.darner.crash;

import io.darner.testing.Executables;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A directory on the {@code powercut} FUSE file system ({@code src/test/fuse/powercut.c}, compiled
 * here with gcc against Debian's libfuse3-dev): writes not yet fsynced are kept apart, and a power
 * cut throws them away. Mounted on {@code root/mnt} over {@code root/backing}; every mount starts
 * from what the last cut left, all of it durable.
 */
final class PowerCutFs implements AutoCloseable {
    /** When a create, rename or unlink is durable. */
    enum Names {
        /** at once, as on ext4 with its journal (and LazyFS) */
        LAZY,
        /** only once its directory is fsynced: the strict POSIX reading */
        STRICT
    }

    private static final Path SOURCE = Path.of("src/test/fuse/powercut.c");
    private static final Path BINARY = Path.of("target/powercut/powercut");
    private static final Pattern CUT = Pattern.compile("power cut at (\\d+) ms (.*?): dropped (\\d+) unsynced bytes of "
            + "(\\d+) files, undid (\\d+) name changes, (\\d+) failures");

    private final Path root;
    private final Names names;
    private final Path mount;
    private final Path log;
    private final Process process;

    /** What a cut dropped, as the file system reported it. */
    record Cut(long atMillis, String when, long droppedBytes, int files, int namesUndone) {
    }

    private PowerCutFs(Path root, Names names, Process process, Path log) {
        this.root = root;
        this.names = names;
        this.mount = root.resolve("mnt");
        this.process = process;
        this.log = log;
    }

    /**
     * Why the file system cannot run here (gcc, libfuse3-dev, fuse3 missing, not root, no
     * /dev/fuse), or empty if it can.
     */
    static Optional<String> unavailable() throws IOException, InterruptedException {
        if (!Files.exists(Path.of("/dev/fuse"))) {
            return Optional.of("no /dev/fuse");
        }
        if (Executables.onPath("gcc").isEmpty() || Executables.onPath("pkg-config").isEmpty()) {
            return Optional.of("no gcc or pkg-config (apt-get install gcc pkg-config)");
        }
        if (!Executables.run(List.of("pkg-config", "--exists", "fuse3"), Map.of(), 30).ok()) {
            return Optional.of("no libfuse3-dev (apt-get install fuse3 libfuse3-dev)");
        }
        if (!"root".equals(System.getProperty("user.name")) && Executables.onPath("fusermount3").isEmpty()) {
            return Optional.of("not root, and no fusermount3 (apt-get install fuse3)");
        }
        return Optional.empty();
    }

    /** Compiles the file system if its source is newer than the binary. */
    static synchronized void build() throws IOException, InterruptedException {
        if (Files.isExecutable(BINARY)
                && Files.getLastModifiedTime(BINARY).compareTo(Files.getLastModifiedTime(SOURCE)) > 0) {
            return;
        }
        Files.createDirectories(BINARY.getParent());
        Executables.Result flags = Executables.run(List.of("pkg-config", "--cflags", "--libs", "fuse3"), Map.of(), 30);
        List<String> command = new java.util.ArrayList<>(List.of("gcc", "-O2", "-Wall", "-Werror", "-o",
                BINARY.toString(), SOURCE.toString()));
        command.addAll(List.of(flags.stdout().trim().split("\\s+")));
        Executables.Result cc = Executables.run(command, Map.of(), 120);
        if (!cc.ok()) {
            throw new AssertionError("compiling " + SOURCE + " failed: " + cc);
        }
        Files.setLastModifiedTime(BINARY, FileTime.fromMillis(System.currentTimeMillis()));
    }

    /** Mounts the file system on {@code root/mnt}, over what {@code root/backing} holds. */
    static PowerCutFs mount(Path root, Names names) throws IOException, InterruptedException {
        build();
        Path backing = Files.createDirectories(root.resolve("backing"));
        Path graveyard = Files.createDirectories(root.resolve("graveyard"));
        Path mount = Files.createDirectories(root.resolve("mnt"));
        Path log = root.resolve("powercut.log");
        Files.deleteIfExists(log);
        ProcessBuilder pb = new ProcessBuilder(BINARY.toAbsolutePath().toString(), backing.toString(), graveyard.toString(),
                names == Names.STRICT ? "strict" : "lazy", mount.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        if (System.getProperty("powerloss.trace") != null) {
            pb.environment().put("POWERCUT_TRACE", "1");
        }
        Process p = pb.start();
        PowerCutFs fs = new PowerCutFs(root, names, p, log);
        try {
            Awaitility.await("the file system is mounted").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
                    .until(() -> fs.logText().contains("powercut: mounted") && fs.mounted());
        } catch (ConditionTimeoutException e) {
            p.destroyForcibly();
            throw new AssertionError("powercut did not mount: " + fs.logText(), e);
        }
        return fs;
    }

    /** The mounted directory. */
    Path dir() {
        return mount;
    }

    Names names() {
        return names;
    }

    /** Cuts the power now: from now on every operation on the file system fails. */
    void cutNow() {
        control(".power-cut");
    }

    /** Cuts the power right after the {@code n}th {@code op} (create, rename, unlink, write, fsync) of a file whose path holds {@code part}. */
    void armCut(int n, String op, String part) {
        String answer = control(".power-cut-after-" + n + "-" + op + "-" + part);
        if (!answer.contains("already in progress")) {
            throw new AssertionError("powercut did not arm the cut: " + answer);
        }
    }

    /** Whether the power was cut (the file system has exited). */
    boolean isCut() {
        return !process.isAlive();
    }

    /**
     * Waits for the cut to end the file system, and detaches the mount if it is still there (open
     * files keep it); returns what the cut dropped.
     */
    Cut awaitCut() throws IOException, InterruptedException {
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("powercut did not end after the cut: " + logText());
        }
        unmount();
        Matcher m = CUT.matcher(logText());
        if (!m.find()) {
            throw new AssertionError("powercut did not report the cut: " + logText());
        }
        if (Integer.parseInt(m.group(6)) != 0) {
            throw new AssertionError("powercut could not undo everything: " + logText());
        }
        return new Cut(Long.parseLong(m.group(1)), m.group(2), Long.parseLong(m.group(3)), Integer.parseInt(m.group(4)),
                Integer.parseInt(m.group(5)));
    }

    /** The file system's output. */
    String logText() throws IOException {
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }

    @Override
    public void close() throws IOException, InterruptedException {
        unmount();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    private String control(String name) {
        try {
            Files.createFile(mount.resolve(name));
            return "created";
        } catch (FileSystemException e) {
            return String.valueOf(e.getReason());
        } catch (IOException e) {
            return String.valueOf(e.getMessage());
        }
    }

    private boolean mounted() throws IOException {
        String target = " " + mount.toAbsolutePath() + " ";
        return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream().anyMatch(l -> l.contains(target));
    }

    private void unmount() throws IOException, InterruptedException {
        if (mounted()) {
            Executables.Result r = Executables.run(List.of("umount", "-l", mount.toString()), Map.of(), 30);
            if (!r.ok() && mounted()) {
                throw new AssertionError("could not unmount " + mount + ": " + r);
            }
        }
    }

    @Override
    public String toString() {
        return "powercut(" + names + ") on " + root;
    }
}
