package org.ppaforge.pipeline.git;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ppaforge.debian.testing.Tools;

/**
 * Pipelines fetch from the git servers teams run, not only from JGit's own: C git's {@code git daemon} (git://) and
 * {@code git http-backend} (smart HTTP, here behind a small CGI bridge on 127.0.0.1, as Apache or nginx run it), with
 * commits and tags pushed by the real {@code git} client through both.
 */
@Timeout(120)
class CGitRemotesTest {
    @TempDir
    Path dir;

    private Tools.Result git(Path in, String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of(
                "git", "-c", "user.name=Dev", "-c", "user.email=dev@example.org", "-c", "init.defaultBranch=main"));
        cmd.addAll(List.of(args));
        return Tools.run(in, null, Map.of("GIT_TERMINAL_PROMPT", "0", "HOME", dir.toString()), cmd);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void aMirrorFetchesWhatRealGitPushedThroughGitDaemonAndHttpBackend() throws Exception {
        Path served = Files.createDirectories(dir.resolve("served"));
        git(served, "init", "-q", "--bare", "project.git").orFail("git init --bare");
        git(served.resolve("project.git"), "config", "http.receivepack", "true").orFail("git config");
        Path work = dir.resolve("work");
        git(dir, "init", "-q", "work").orFail("git init");
        Files.writeString(work.resolve("README"), "one\n");
        git(work, "add", "README").orFail("git add");
        git(work, "commit", "-q", "-m", "one").orFail("git commit");
        git(work, "tag", "v1.0").orFail("git tag");

        int port = freePort();
        Process daemon = new ProcessBuilder(
                        "git",
                        "daemon",
                        "--reuseaddr",
                        "--listen=127.0.0.1",
                        "--port=" + port,
                        "--base-path=" + served,
                        "--export-all",
                        "--enable=receive-pack",
                        served.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("daemon.log").toFile())
                .start();
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/git/", ex -> cgi(ex, served));
        http.start();
        try {
            long until = System.nanoTime() + 10_000_000_000L;
            while (true) { // git daemon listens a moment after it starts
                try (Socket s = new Socket("127.0.0.1", port)) {
                    break;
                } catch (IOException e) {
                    assertThat(System.nanoTime()).as("git daemon listening").isLessThan(until);
                    Thread.sleep(100);
                }
            }
            String daemonUrl = "git://127.0.0.1:" + port + "/project.git";
            String httpUrl = "http://127.0.0.1:" + http.getAddress().getPort() + "/git/project.git";

            // The real git client pushes through git daemon's receive-pack; the mirror fetches it over git://.
            git(work, "push", "-q", daemonUrl, "main", "--tags").orFail("git push git://");
            String one =
                    git(work, "rev-parse", "HEAD").orFail("rev-parse").out().strip();
            GitMirror mirror = new GitMirror(dir.resolve("cache"));
            try (GitMirror.Fetched f = mirror.fetch(daemonUrl, "main")) {
                assertThat(f.commit().getName()).isEqualTo(one);
                assertThat(f.repository().resolve("refs/tags/v1.0").getName()).isEqualTo(one);
            }

            // A second commit pushed over smart HTTP (http-backend); both servers show it.
            Files.writeString(work.resolve("README"), "two\n");
            git(work, "commit", "-q", "-am", "two").orFail("git commit");
            git(work, "push", "-q", httpUrl, "main").orFail("git push http://");
            String two =
                    git(work, "rev-parse", "HEAD").orFail("rev-parse").out().strip();
            try (GitMirror.Fetched f = new GitMirror(dir.resolve("cache-http")).fetch(httpUrl, "main")) {
                assertThat(f.commit().getName()).isEqualTo(two);
                assertThat(f.commit().getParent(0).getName()).isEqualTo(one);
            }
            try (GitMirror.Fetched f = mirror.fetch(daemonUrl, "main")) {
                assertThat(f.commit().getName()).isEqualTo(two);
            }
        } finally {
            http.stop(0);
            daemon.destroy();
            daemon.waitFor();
        }
    }

    /** A CGI bridge to {@code git http-backend}, as a web server runs it (RFC 3875: the request in the environment). */
    private static void cgi(HttpExchange ex, Path root) throws IOException {
        String path = ex.getRequestURI().getRawPath().substring("/git".length());
        ProcessBuilder pb = new ProcessBuilder("git", "http-backend");
        Map<String, String> env = pb.environment();
        env.put("GIT_PROJECT_ROOT", root.toString());
        env.put("GIT_HTTP_EXPORT_ALL", "1");
        env.put("REMOTE_USER", "dev"); // pushes need an authenticated user (or http.receivepack, set above)
        env.put("REQUEST_METHOD", ex.getRequestMethod());
        env.put("PATH_INFO", path);
        env.put(
                "QUERY_STRING",
                ex.getRequestURI().getRawQuery() == null
                        ? ""
                        : ex.getRequestURI().getRawQuery());
        env.put("CONTENT_TYPE", String.valueOf(ex.getRequestHeaders().getFirst("Content-Type")));
        String encoding = ex.getRequestHeaders().getFirst("Content-Encoding");
        if (encoding != null) {
            env.put("HTTP_CONTENT_ENCODING", encoding);
        }
        String protocol = ex.getRequestHeaders().getFirst("Git-Protocol");
        if (protocol != null) {
            env.put("GIT_PROTOCOL", protocol);
        }
        Process p = pb.start();
        try (InputStream body = ex.getRequestBody();
                OutputStream in = p.getOutputStream()) {
            body.transferTo(in);
        }
        byte[] out = p.getInputStream().readAllBytes();
        try {
            p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int split = indexOf(out, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        int skip = 4;
        if (split < 0) {
            split = indexOf(out, "\n\n".getBytes(StandardCharsets.US_ASCII));
            skip = 2;
        }
        int status = 200;
        for (String h : new String(out, 0, Math.max(split, 0), StandardCharsets.ISO_8859_1).split("\r?\n")) {
            int colon = h.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = h.substring(0, colon).strip();
            String value = h.substring(colon + 1).strip();
            if (name.equalsIgnoreCase("Status")) {
                status = Integer.parseInt(value.substring(0, 3));
            } else {
                ex.getResponseHeaders().add(name, value);
            }
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(out, split + skip, out.length - split - skip);
        ex.sendResponseHeaders(status, body.size() == 0 ? -1 : body.size());
        try (OutputStream o = ex.getResponseBody()) {
            body.writeTo(o);
        }
    }

    private static int indexOf(byte[] data, byte[] what) {
        outer:
        for (int i = 0; i + what.length <= data.length; i++) {
            for (int j = 0; j < what.length; j++) {
                if (data[i + j] != what[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
