package org.ppaforge.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.archive.model.ApiToken;
import org.ppaforge.forge.Forge;

/**
 * How a local command hands its work to the {@code ppa serve} that holds its data directory, as docker's client hands
 * its work to the daemon: the server's JVM is warm and its caches are full, so adding one package to a 20,000-package
 * archive takes 0.42 s through it against 0.71 s in a new process (bench/archive-bench.sh).
 *
 * <p>While it listens (plain HTTP only), the server keeps a file {@value #FILE} in the data directory, readable by its
 * own user only, with its loopback address, its process and an admin token of its own ({@code local-handoff-PORT-START},
 * revoked when it stops; a server that was killed leaves both, and the next start on that port revokes the old
 * token). A local command uses it only when that process is still the one that wrote it (same process id and start
 * time) and its port answers; otherwise, and with {@code --publish-dir}, {@code $PPAFORGE_PUBLISH_DIR} or
 * {@code PPAFORGE_HANDOFF=0}, it works in its own process as before.
 */
final class Handoff {
    static final String FILE = "serve.handoff";

    /** The server to hand to: its URL and token. */
    record Server(String url, String token) {}

    private Handoff() {}

    /**
     * Makes the hand-off token and writes the file; returns what withdraws both (when the server stops).
     *
     * @param url the server's own URL: a wildcard address is reached through loopback
     */
    static Runnable advertise(Ppaforge ppa, Path dataDir, String url) throws IOException {
        String local = Forge.loopback(url);
        String prefix = "local-handoff-" + URI.create(url).getPort();
        revoke(ppa, prefix); // left by a server on this port that was killed
        // Token names are never reused (a revoked one keeps its name): each start makes its own.
        String name = prefix + "-" + Long.toString(System.currentTimeMillis(), 36);
        String secret = ppa.createToken().name(name).role("admin").call().secret();
        ProcessHandle self = ProcessHandle.current();
        String text = "url=" + local + "\ntoken=" + secret + "\npid=" + self.pid() + "\nstarted="
                + self.info().startInstant().map(Instant::toString).orElse("") + "\n";
        Path file = dataDir.resolve(FILE);
        Path tmp = dataDir.resolve(FILE + ".tmp-" + self.pid());
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return () -> {
            try {
                Map<String, String> now = read(file);
                if (now != null && String.valueOf(self.pid()).equals(now.get("pid"))) {
                    Files.deleteIfExists(file);
                }
            } catch (IOException e) {
                // the file stays; the next command finds its process gone
            }
            revoke(ppa, prefix);
        };
    }

    /** Revokes the hand-off tokens of servers on one port ({@code prefix}, and {@code prefix-START} since). */
    private static void revoke(Ppaforge ppa, String prefix) {
        for (ApiToken t : ppa.listTokens().call()) {
            if ((t.name().equals(prefix) || t.name().startsWith(prefix + "-")) && t.revokedAt() == null) {
                ppa.revokeToken().name(t.name()).call();
            }
        }
    }

    /** The server holding {@code dataDir} that a local command may hand its work to, or null. */
    static Server find(Path dataDir) {
        Map<String, String> f;
        try {
            f = read(dataDir.resolve(FILE));
        } catch (IOException e) {
            return null; // none, or not ours to read
        }
        if (f == null || f.get("url") == null || f.get("token") == null) {
            return null;
        }
        try {
            ProcessHandle p = ProcessHandle.of(Long.parseLong(f.get("pid"))).orElse(null);
            if (p == null
                    || !p.isAlive()
                    || !p.info()
                            .startInstant()
                            .map(Instant::toString)
                            .orElse("")
                            .equals(f.get("started"))) {
                return null; // stopped, or killed (and its id perhaps reused)
            }
            URI u = URI.create(f.get("url"));
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(u.getHost().replace("[", "").replace("]", ""), u.getPort()), 250);
            }
            return new Server(f.get("url"), f.get("token"));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static Map<String, String> read(Path file) throws IOException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return null;
        }
        Map<String, String> out = new HashMap<>();
        for (String line : text.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                out.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return out;
    }
}
