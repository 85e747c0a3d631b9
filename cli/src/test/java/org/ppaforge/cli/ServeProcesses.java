package org.ppaforge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;

/**
 * Real {@code ppa} processes for the several-servers tests: every one with the same environment (the shared database,
 * bucket and passphrase), servers started and read up to their start line, and all of them (with what they started,
 * such as a worker's sbuild) stopped at the end.
 */
final class ServeProcesses implements AutoCloseable {
    final Map<String, String> env = new HashMap<>();
    private final List<Process> started = Collections.synchronizedList(new ArrayList<>());
    private final HttpClient http = HttpClient.newHttpClient();

    /** A running server: its process, its URL and its metrics URL. */
    record Server(Process process, String url, String metrics) {
        int port() {
            return URI.create(url).getPort();
        }
    }

    ProcessBuilder ppa(Path data, String... args) {
        ProcessBuilder pb = PpaProcesses.ppa(data, args);
        pb.environment().remove("PPAFORGE_TOKEN");
        pb.environment().putAll(env);
        return pb;
    }

    /** Runs {@code ppa ARGS} on {@code data} to its end, which must be a success; its standard output. */
    String run(Path data, String... args) throws Exception {
        Process p = ppa(data, args).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue())
                .as("ppa " + String.join(" ", args) + ": " + err)
                .isZero();
        return out;
    }

    /** Starts a process that is stopped (with its descendants) at the end. */
    Process start(ProcessBuilder pb) throws Exception {
        Process p = pb.start();
        started.add(p);
        return p;
    }

    /** {@code ppa serve} on {@code data} (port 0: any), without embedded workers, with a metrics port. */
    Server serve(Path data, int port) throws Exception {
        Process p = start(ppa(data, "serve", "--port", Integer.toString(port), "--workers", "0", "--metrics-port", "0")
                .redirectErrorStream(true));
        BufferedReader out = PpaProcesses.output(p);
        StringBuilder seen = new StringBuilder();
        Matcher main = PpaProcesses.waitFor(out, "ppaforge serving .* at (http://127\\.0\\.0\\.1:\\d+)/", seen);
        assertThat(main).as(seen.toString()).isNotNull();
        Matcher metrics = PpaProcesses.waitFor(out, "metrics at (http://127\\.0\\.0\\.1:\\d+/metrics)", seen);
        assertThat(metrics).as(seen.toString()).isNotNull();
        StringBuilder said = saidBy.computeIfAbsent(main.group(1), u -> new StringBuilder());
        said.append(seen);
        Thread drain = new Thread(() -> {
            try {
                for (String line; (line = out.readLine()) != null; ) {
                    synchronized (said) {
                        said.append(line).append('\n');
                    }
                }
            } catch (Exception e) {
                // the process ended
            }
        });
        drain.setDaemon(true);
        drain.start();
        return new Server(p, main.group(1), metrics.group(1));
    }

    private final Map<String, StringBuilder> saidBy = new java.util.concurrent.ConcurrentHashMap<>();

    /** What the servers started at {@code url} said (every start on that URL), for a failure's message. */
    String said(Server s) {
        StringBuilder b = saidBy.get(s.url());
        if (b == null) {
            return "";
        }
        synchronized (b) {
            return b.toString();
        }
    }

    HttpResponse<byte[]> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** How many turns of {@code task} this server's metrics count (its background task ran here). */
    double taskRuns(Server s, String task) throws Exception {
        String text = new String(get(s.metrics()).body(), StandardCharsets.UTF_8);
        double n = 0;
        for (String line : text.lines().toList()) {
            if (line.startsWith("ppaforge_task_runs_total{") && line.contains("task=\"" + task + "\"")) {
                n += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return n;
    }

    /** SIGKILL, with whatever the process started (a worker's sbuild would otherwise go on unseen). */
    static void kill(Process p) throws InterruptedException {
        List<ProcessHandle> children = p.descendants().toList();
        p.destroyForcibly().waitFor(60, TimeUnit.SECONDS);
        children.forEach(ProcessHandle::destroyForcibly);
    }

    @Override
    public void close() throws Exception {
        List<ProcessHandle> children = new ArrayList<>();
        for (Process p : started) {
            children.addAll(p.descendants().toList());
            p.destroy();
        }
        for (Process p : started) {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        children.forEach(ProcessHandle::destroyForcibly);
    }
}
