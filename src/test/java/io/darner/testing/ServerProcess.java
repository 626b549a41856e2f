package io.darner.testing;

import io.darner.storage.TestEngine;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged server ({@code quarkus-run.jar}, path in the system property {@value #JAR_PROPERTY})
 * running as a child JVM on a data directory, with free ports picked by the OS. The port of the
 * queue listener is read from its start-up log line.
 */
public final class ServerProcess {
    static final String JAR_PROPERTY = "darner.server.jar";
    private static final Pattern LISTENING = Pattern.compile("queue protocol on 127\\.0\\.0\\.1:(\\d+)");
    private static final Pattern HTTP_LISTENING = Pattern.compile("Listening on: http://[^:]+:(\\d+)");
    private static final int LOG_LINES_COUNTED = 20_000;
    private static final long START_TIMEOUT_S = 60;
    private static final int LOG_LINES_KEPT = 400; // a thread dump (threadDump()) fits

    private final Process process;
    private final Deque<String> logTail = new ArrayDeque<>();
    private final List<String> logLines = new ArrayList<>();
    private final CompletableFuture<Integer> port = new CompletableFuture<>();
    private final CompletableFuture<Integer> httpPort = new CompletableFuture<>();
    private final Thread reader;

    /**
     * Where the process writes its output: a file, read as it grows (reading a pipe races with the
     * exit), alone in its directory so that the directory's changes are the file's.
     */
    private final Path logFile;

    private ServerProcess(Process process, Path logFile) {
        this.process = process;
        this.logFile = logFile;
        reader = new Thread(this::readLog, "server-log-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts the server on {@code dataDir} and a free queue port, and waits until it listens. */
    public static ServerProcess start(Path dataDir) throws IOException, InterruptedException {
        return new Options(dataDir).start();
    }

    /**
     * Starts the server on {@code dataDir} and queue port {@code port} (0: a free one), and waits
     * until it listens. A server restarted on the port it had is where its clients look for it.
     */
    public static ServerProcess start(Path dataDir, int port) throws IOException, InterruptedException {
        return new Options(dataDir).port(port).start();
    }

    /** How to start a server: environment variables, a file descriptor limit. */
    public static final class Options {
        private final Path dataDir;
        private final Map<String, String> env = new LinkedHashMap<>();
        private final List<String> properties = new ArrayList<>();
        private int fdLimit;
        private int port;
        private List<String> java = List.of(javaBinary());
        private long startTimeoutS = START_TIMEOUT_S;
        private boolean startScript;

        public Options(Path dataDir) {
            this.dataDir = dataDir;
        }

        /** The queue port (0, the default: a free one). */
        public Options port(int port) {
            this.port = port;
            return this;
        }

        /** A setting, as an environment variable ({@code DARNER_MAX_CONNECTIONS}). */
        public Options env(String name, String value) {
            env.put(name, value);
            return this;
        }

        /** A JVM option ({@code -XX:ErrorFile=...}), before the jar. */
        public Options jvmOption(String option) {
            properties.add(option);
            return this;
        }

        /** A setting, as a system property ({@code -Dkey=value}): it wins over the environment. */
        public Options property(String key, String value) {
            properties.add("-D" + key + "=" + value);
            return this;
        }

        /**
         * Runs the server with another Java: {@code command} up to the JVM's own options (an emulator,
         * its options, a java binary), waiting up to {@code startTimeoutS} seconds for it to listen.
         */
        public Options java(List<String> command, long startTimeoutS) {
            this.java = List.copyOf(command);
            this.startTimeoutS = startTimeoutS;
            return this;
        }

        /**
         * Runs the server through the start script beside the jar ({@code darner}, README), with its
         * own JVM settings: the JVM options given here go after them.
         */
        public Options startScript() {
            this.startScript = true;
            return this;
        }

        /** Runs the server under {@code ulimit -n limit} (through bash). */
        public Options fdLimit(int limit) {
            this.fdLimit = limit;
            return this;
        }

        /** Starts the server and waits until it listens. */
        public ServerProcess start() throws IOException, InterruptedException {
            ServerProcess server = launch();
            try {
                server.port.get(startTimeoutS, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
                server.kill();
                throw new AssertionError("the server did not start listening: " + e.getMessage() + "\n" + server.log(), e);
            }
            return server;
        }

        /** Starts a server that is expected not to start: returns it once it has exited. */
        public ServerProcess startAndExpectExit() throws IOException, InterruptedException {
            ServerProcess server = launch();
            if (!server.process.waitFor(START_TIMEOUT_S, TimeUnit.SECONDS)) {
                server.kill();
                throw new AssertionError("the server did not exit\n" + server.log());
            }
            server.reader.join(5000);
            return server;
        }

        /** Starts the server without waiting for it to listen. */
        public ServerProcess launch() throws IOException {
            List<String> command = new ArrayList<>();
            if (startScript) {
                command.add(serverJar().resolveSibling("darner").toString());
                command.addAll(properties);
            } else {
                command.addAll(java);
                command.add("-Xmx256m");
                command.addAll(properties);
                command.addAll(List.of("-jar", serverJar().toString()));
            }
            if (fdLimit > 0) {
                String javaCommand = String.join(" ", command.stream().map(ServerProcess::shellQuoted).toList());
                command = List.of("bash", "-c", "ulimit -n " + fdLimit + " && exec " + javaCommand);
            }
            Path logDir = Files.createTempDirectory("darner-server-");
            logDir.toFile().deleteOnExit();
            Path logFile = logDir.resolve("server.log");
            logFile.toFile().deleteOnExit(); // deleted before its directory: the reverse order
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(logFile.toFile());
            pb.environment().put("DARNER_PORT", Integer.toString(port));
            pb.environment().put("QUARKUS_HTTP_PORT", "0");
            pb.environment().put("DARNER_DATA_DIR", dataDir.toString());
            // the store engine of this test run (the build runs the crash tests on each), unless a test sets one
            pb.environment().put("DARNER_STORE_ENGINE", TestEngine.setting());
            pb.environment().putAll(env);
            return new ServerProcess(pb.start(), logFile);
        }
    }

    private static String shellQuoted(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    public int port() {
        return port.join();
    }

    /** Whether the server listens (its queue port is known). */
    public boolean listening() {
        return port.isDone() && !port.isCompletedExceptionally();
    }

    /** The admin (HTTP) port. */
    public int httpPort() {
        try {
            return httpPort.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("no HTTP port in the log\n" + log(), e);
        }
    }

    public long pid() {
        return process.pid();
    }

    /** The exit status, once the process has ended (after {@link Options#startAndExpectExit()}). */
    public int exitValue() {
        return process.exitValue();
    }

    /** Waits for the process to end on its own; returns its exit status. */
    public int awaitExit(long timeoutMs) throws InterruptedException {
        if (!process.waitFor(timeoutMs, TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the server did not exit within " + timeoutMs + " ms\n" + log());
        }
        reader.join(5000);
        return process.exitValue();
    }

    /** Has the JVM print its threads' stacks to the log (SIGQUIT); returns the log after a second. */
    public String threadDump() throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-QUIT", Long.toString(process.pid())).start().waitFor();
        Thread.sleep(1000);
        return log();
    }

    /** SIGTERM, without waiting. */
    public void terminate() {
        process.destroy();
    }

    /** Every line logged so far that contains {@code text}. */
    public List<String> logLines(String text) {
        synchronized (logTail) {
            return logLines.stream().filter(l -> l.contains(text)).toList();
        }
    }

    /** Waits until a line containing {@code text} is logged; returns it. */
    public String awaitLog(String text, long timeoutMs) {
        try {
            return Awaitility.await().atMost(Duration.ofMillis(timeoutMs)).pollInterval(Duration.ofMillis(20))
                    .until(() -> logLines(text), found -> !found.isEmpty()).get(0);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("not logged within " + timeoutMs + " ms: " + text + "\n" + log(), e);
        }
    }

    /** SIGKILL: the process gets no chance to write anything more. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("the server survived SIGKILL");
        }
    }

    /** SIGTERM: a graceful stop, which writes the clean-stop marker. Returns the exit code. */
    public int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            kill();
            throw new AssertionError("the server did not stop within 30 s of SIGTERM\n" + log());
        }
        reader.join(5000); // what it logged last is in log() for the caller's messages
        return process.exitValue();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The last lines the server logged, for failure messages. */
    public String log() {
        synchronized (logTail) {
            return String.join("\n", logTail);
        }
    }

    /** Follows the log file until the process has exited and every line of it is read. */
    private void readLog() {
        try (WatchService changes = logFile.getFileSystem().newWatchService();
             BufferedReader in = Files.newBufferedReader(logFile, StandardCharsets.UTF_8)) {
            logFile.getParent().register(changes, StandardWatchEventKinds.ENTRY_MODIFY);
            process.onExit().thenRun(() -> closeQuietly(changes)); // ends the wait for more: the rest is read next
            StringBuilder partial = new StringBuilder();
            while (true) {
                boolean exited = !process.isAlive();
                int c;
                boolean any = false;
                while ((c = in.read()) != -1) {
                    any = true;
                    if (c == '\n') {
                        line(partial.toString());
                        partial.setLength(0);
                    } else {
                        partial.append((char) c);
                    }
                }
                if (exited && !any) {
                    if (partial.length() > 0) {
                        line(partial.toString());
                    }
                    break;
                }
                if (!any) {
                    awaitChange(changes);
                }
            }
        } catch (IOException e) {
            keep("(log read failed: " + e.getMessage() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        port.completeExceptionally(new IOException("the server exited before it listened"));
    }

    /** Blocks until the log file changes, or until the process has exited (the watch is closed then). */
    private static void awaitChange(WatchService changes) throws InterruptedException {
        try {
            WatchKey key = changes.take();
            key.pollEvents();
            key.reset();
        } catch (ClosedWatchServiceException exited) {
            // what the process wrote last is read next
        }
    }

    private static void closeQuietly(WatchService changes) {
        try {
            changes.close();
        } catch (IOException e) {
            // the reader closes it again when it ends
        }
    }

    private void line(String line) {
        keep(line);
        Matcher m = LISTENING.matcher(line);
        if (m.find()) {
            port.complete(Integer.parseInt(m.group(1)));
        }
        Matcher h = HTTP_LISTENING.matcher(line);
        if (h.find()) {
            httpPort.complete(Integer.parseInt(h.group(1)));
        }
    }

    private void keep(String line) {
        synchronized (logTail) {
            logTail.addLast(line);
            if (logTail.size() > LOG_LINES_KEPT) {
                logTail.removeFirst();
            }
            if (logLines.size() < LOG_LINES_COUNTED) {
                logLines.add(line);
            }
        }
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static Path serverJar() {
        String jar = System.getProperty(JAR_PROPERTY);
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("no packaged server at " + JAR_PROPERTY + "=" + jar
                    + ": run through ./mvnw verify, which packages it first");
        }
        return Path.of(jar);
    }
}
