package io.darner.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged server ({@code quarkus-run.jar}, path in the system property {@value #JAR_PROPERTY})
 * running as a child JVM on a data directory, with a free HTTP port and a free or given queue port.
 * The port of the queue listener is read from its start-up log line.
 */
public final class ServerProcess {
    public static final String JAR_PROPERTY = "darner.server.jar";
    private static final Pattern LISTENING = Pattern.compile("queue protocol on 127\\.0\\.0\\.1:(\\d+)");
    private static final long START_TIMEOUT_S = 60;
    private static final int LOG_LINES_KEPT = 100;

    private final Process process;
    private final Deque<String> logTail = new ArrayDeque<>();
    private final CompletableFuture<Integer> port = new CompletableFuture<>();

    private ServerProcess(Process process) {
        this.process = process;
        Thread reader = new Thread(this::readLog, "server-log-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts the server on {@code dataDir} and a free queue port, and waits until it listens. */
    public static ServerProcess start(Path dataDir) throws IOException, InterruptedException {
        return start(dataDir, 0);
    }

    /**
     * Starts the server on {@code dataDir} and queue port {@code port} (0: a free one), and waits
     * until it listens. A server restarted on the port it had is where its clients look for it.
     */
    public static ServerProcess start(Path dataDir, int port) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(javaBinary(), "-Xmx256m", "-jar", serverJar().toString())
                .redirectErrorStream(true);
        pb.environment().put("DARNER_PORT", Integer.toString(port));
        pb.environment().put("QUARKUS_HTTP_PORT", "0");
        pb.environment().put("DARNER_DATA_DIR", dataDir.toString());
        ServerProcess server = new ServerProcess(pb.start());
        try {
            server.port.get(START_TIMEOUT_S, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
            server.kill();
            throw new AssertionError("the server did not start listening: " + e.getMessage() + "\n" + server.log(), e);
        }
        return server;
    }

    public int port() {
        return port.join();
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

    private void readLog() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                keep(line);
                Matcher m = LISTENING.matcher(line);
                if (m.find()) {
                    port.complete(Integer.parseInt(m.group(1)));
                }
            }
        } catch (IOException e) {
            keep("(log read failed: " + e.getMessage() + ")");
        }
        port.completeExceptionally(new IOException("the server exited before it listened"));
    }

    private void keep(String line) {
        synchronized (logTail) {
            logTail.addLast(line);
            if (logTail.size() > LOG_LINES_KEPT) {
                logTail.removeFirst();
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
