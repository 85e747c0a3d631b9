package org.ppaforge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.debian.control.Deb822Reader;
import org.ppaforge.debian.deb.DebWriter;
import org.ppaforge.debian.testing.Tools;
import org.ppaforge.forge.Forge;
import org.ppaforge.forge.ForgeConfig;
import org.ppaforge.server.PpaServer;
import org.ppaforge.server.Tls;

/** Real `ppa` processes: killed in the middle of an include, and two at once on one data directory. */
class ProcessTest {
    @TempDir
    Path data;

    @TempDir
    Path work;

    /** A `ppa` process on the test class path, with --data-dir after the (sub)command words. */
    private ProcessBuilder ppa(String... args) {
        return PpaProcesses.ppa(data, args);
    }

    private String run(String... args) throws Exception {
        Process p = ppa(args).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(String.join(" ", args) + " -> " + out).isZero();
        return out;
    }

    private List<Path> debs(String prefix, int n) throws IOException {
        Path dir = Files.createDirectories(work.resolve(prefix));
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String name = prefix + "-pkg" + i;
            var control = Deb822Reader.parseSingle(
                    "Package: " + name + "\nVersion: 1.0-" + i + "\nArchitecture: amd64\n"
                            + "Maintainer: T <t@example.org>\nDescription: test " + i + "\n",
                    name);
            Path f = dir.resolve(name + "_1.0-" + i + "_amd64.deb");
            Files.write(
                    f,
                    new DebWriter(control)
                            .file("usr/share/doc/" + name + "/README", ("n" + i).getBytes())
                            .toBytes());
            files.add(f);
        }
        return files;
    }

    private String[] includeArgs(List<Path> files) {
        List<String> args = new ArrayList<>(List.of("include", "trunk", "--series", "noble", "--json"));
        files.forEach(f -> args.add(f.toString()));
        return args.toArray(String[]::new);
    }

    @Test
    void withoutOptionsTheDataDirectoryAndConfigFollowHomeFromTheEnvironment() throws Exception {
        // Java's user.home ignores $HOME; a user who runs `HOME=/tmp/x ppa ...` expects /tmp/x.
        Path home = Files.createDirectories(work.resolve("home"));
        Files.createDirectories(home.resolve(".config/ppaforge"));
        Files.writeString(home.resolve(".config/ppaforge/config"), "server = http://127.0.0.1:9/\n");
        List<String> java = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName());
        ProcessBuilder create =
                new ProcessBuilder(concat(java, "archive", "create", "trunk", "--series", "noble", "--arch", "amd64"));
        ProcessBuilder list = new ProcessBuilder(concat(java, "list", "trunk"));
        for (ProcessBuilder pb : List.of(create, list)) {
            pb.environment().put("HOME", home.toString());
            List.of("PPAFORGE_HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "PPAFORGE_SERVER")
                    .forEach(pb.environment()::remove);
            pb.redirectErrorStream(true);
        }
        Process p = list.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isEqualTo(4); // the config's server is asked, and is not there
        assertThat(out).contains("127.0.0.1:9");
        Files.delete(home.resolve(".config/ppaforge/config"));
        p = create.start();
        out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        assertThat(home.resolve(".local/share/ppaforge/ppaforge.db")).isRegularFile();
        p = list.start();
        out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
    }

    private static List<String> concat(List<String> head, String... tail) {
        List<String> all = new ArrayList<>(head);
        all.addAll(List.of(tail));
        return all;
    }

    @Test
    void aKilledIncludeLeavesTheArchiveAsItWasAndUsable() throws Exception {
        run("archive", "create", "trunk", "--series", "noble", "--arch", "amd64");
        run(includeArgs(debs("before", 50)));
        String listBefore = run("list", "trunk", "--json");

        ProcessBuilder pb = ppa(includeArgs(debs("killed", 600)));
        pb.environment().put("PPAFORGE_TEST_PAUSE_IN_TX_MS", "300");
        Process p = pb.start();
        BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8));
        String line;
        boolean inside = false;
        while ((line = err.readLine()) != null) {
            if (line.contains("inside the transaction")) {
                inside = true;
                break;
            }
        }
        assertThat(inside).as("the include reached its transaction").isTrue();
        p.destroyForcibly(); // SIGKILL, mid-transaction
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isNotZero();

        assertThat(run("list", "trunk", "--json")).isEqualTo(listBefore);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("ppaforge.db"));
                ResultSet rs = c.createStatement().executeQuery("PRAGMA integrity_check")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("ok");
        }
        // Usable: the same include now succeeds in full.
        JsonNode result = new ObjectMapper().readTree(run(includeArgs(debs("after", 20))));
        assertThat(result.get("publishedBinaries")).hasSize(20);
        assertThat(new ObjectMapper().readTree(run("list", "trunk", "--json"))).hasSize(70);
    }

    @Test
    void twoProcessesAtOnceBothSucceedWithoutLosingEitherUpdate() throws Exception {
        run("archive", "create", "trunk", "--series", "noble", "--arch", "amd64");
        List<Path> a = debs("alpha", 300);
        List<Path> b = debs("beta", 300);
        ProcessBuilder first = ppa(includeArgs(a)).redirectErrorStream(true);
        first.environment().put("PPAFORGE_TEST_PAUSE_IN_TX_MS", "100");
        Process p1 = first.start();
        // The second starts only once the first is inside its write transaction: the overlap is proven, not hoped for.
        BufferedReader out1 = new BufferedReader(new InputStreamReader(p1.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen1 = new StringBuilder();
        assertThat(PpaProcesses.waitFor(out1, "inside the transaction", seen1))
                .as(seen1.toString())
                .isNotNull();
        Process p2 = ppa(includeArgs(b)).redirectErrorStream(true).start();
        assertThat(p1.isAlive())
                .as("the first is still in its transaction when the second starts")
                .isTrue();
        String out2 = new String(p2.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        seen1.append(new String(p1.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        assertThat(p1.waitFor()).as(seen1.toString()).isZero();
        assertThat(p2.waitFor()).as(out2).isZero();
        JsonNode list = new ObjectMapper().readTree(run("list", "trunk", "--json"));
        assertThat(list).hasSize(600);
    }

    @Test
    void exitCodesAndJsonOfTheArchiveCommands() throws Exception {
        run("archive", "create", "trunk", "--series", "jammy,noble", "--arch", "amd64");
        run("archive", "create", "release", "--series", "noble", "--arch", "amd64");
        List<Path> v1 = debs("app", 1);
        run(includeArgs(v1));
        run("copy", "app-pkg0", "--from", "trunk", "--to", "release", "--series", "noble", "--with-binaries");
        Process skew = ppa("skew", "trunk", "release", "--series", "noble").start();
        assertThat(skew.waitFor()).as("no skew").isZero();

        Path newer = work.resolve("app-pkg0_2.0_amd64.deb");
        Files.write(
                newer,
                new DebWriter(Deb822Reader.parseSingle(
                                "Package: app-pkg0\nVersion: 2.0\nArchitecture: amd64\n"
                                        + "Maintainer: T <t@example.org>\nDescription: newer\n",
                                "c"))
                        .toBytes());
        run(includeArgs(List.of(newer)));
        Process skewed = ppa("skew", "trunk", "release", "--json").start();
        JsonNode rows = new ObjectMapper().readTree(skewed.getInputStream()).get("rows");
        assertThat(skewed.waitFor()).as("skew found").isEqualTo(1);
        assertThat(rows.get(0).get("highest").asText()).isEqualTo("2.0");

        Process older = ppa("include", "trunk", "--series", "noble", v1.get(0).toString())
                .start();
        String err = new String(older.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(older.waitFor()).isEqualTo(3);
        assertThat(err).contains("app-pkg0 1.0-0 is older than 2.0 already published in trunk/noble");

        Process missing = ppa("list", "nope").start();
        assertThat(missing.waitFor()).isEqualTo(2);
        assertThat(new String(missing.getErrorStream().readAllBytes(), StandardCharsets.UTF_8))
                .startsWith("ppa: archive 'nope' does not exist");
    }

    @Test
    void includeThroughAServerWithATokenFromTheEnvironment() throws Exception {
        try (Forge forge = Forge.open(ForgeConfig.of(data))) {
            Ppaforge ppa = forge.archive();
            ppa.createArchive()
                    .name("trunk")
                    .series(List.of("noble"))
                    .architectures(List.of("amd64"))
                    .call();
            String token = ppa.createToken()
                    .name("ci")
                    .role("uploader")
                    .archive("trunk")
                    .call()
                    .secret();
            try (PpaServer server = new PpaServer(forge, "127.0.0.1", 0).start()) {
                String url = "http://127.0.0.1:" + server.port();
                List<Path> files = debs("remote", 2);
                List<String> args = new ArrayList<>(List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        Main.class.getName(),
                        "include",
                        "trunk",
                        "--server",
                        url,
                        "--json"));
                files.forEach(f -> args.add(f.toString()));

                ProcessBuilder without = new ProcessBuilder(args).redirectErrorStream(true);
                without.environment().remove("PPAFORGE_TOKEN");
                Process p = without.start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(p.waitFor()).as(out).isEqualTo(3);
                assertThat(out).contains("server " + url + ": this needs a token");

                ProcessBuilder with = new ProcessBuilder(args).redirectErrorStream(true);
                with.environment().put("PPAFORGE_TOKEN", token);
                p = with.start();
                out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(p.waitFor()).as(out).isZero();
                assertThat(out).contains("\"publishedBinaries\"").contains("remote-pkg0 1.0-0 (amd64)");
                assertThat(ppa.list().archive("trunk").call()).hasSize(2);
                assertThat(Files.readString(ppa.publishRoot().resolve("trunk/dists/noble/main/binary-amd64/Packages")))
                        .contains("Package: remote-pkg1\n");
            }
        }
    }

    @Test
    void commandsRunAgainstAServerPrintWhatTheyPrintLocally() throws Exception {
        try (Forge forge = Forge.open(ForgeConfig.of(data))) {
            Ppaforge ppa = forge.archive();
            for (String a : List.of("trunk", "release")) {
                ppa.createArchive()
                        .name(a)
                        .series(List.of("noble"))
                        .architectures(List.of("amd64"))
                        .call();
            }
            ppa.include().archive("trunk").files(debs("srv", 3)).call();
            String token = ppa.createToken().name("admin").role("admin").call().secret();
            // The token comes from the config file this time.
            Path config =
                    Files.createDirectories(work.resolve("config/ppaforge")).resolve("config");
            Files.writeString(config, "# written by the test\ntoken = " + token + "\n");
            try (PpaServer server = new PpaServer(forge, "127.0.0.1", 0).start()) {
                String url = "http://127.0.0.1:" + server.port();
                List<List<String>> reads = List.of(
                        List.of("archive", "list"),
                        List.of("list", "trunk"),
                        List.of("history", "trunk", "srv-pkg1"),
                        List.of("key", "list", "trunk"),
                        List.of("uploads", "trunk"),
                        List.of("list", "trunk", "--json"));
                for (List<String> cmd : reads) {
                    assertThat(remote(url, cmd).out())
                            .as(String.join(" ", cmd))
                            .isEqualTo(run(cmd.toArray(String[]::new)));
                }
                // Writes: copy, a dry-run sync (the same plan as locally), remove, publish.
                assertThat(remote(
                                        url,
                                        List.of(
                                                "copy",
                                                "srv-pkg0",
                                                "--from",
                                                "trunk",
                                                "--to",
                                                "release",
                                                "--with-binaries"))
                                .out())
                        .contains("srv-pkg0 1.0-0: copied trunk/noble -> release/noble (1 binaries)");
                assertThat(ppa.list().archive("release").call()).hasSize(1);
                List<String> sync = List.of("sync", "trunk", "release", "--dry-run");
                assertThat(remote(url, sync).out())
                        .isEqualTo(run(sync.toArray(String[]::new)))
                        .contains("dry run: nothing changed");
                assertThat(remote(url, List.of("remove", "release", "srv-pkg0", "--reason", "test"))
                                .out())
                        .contains("removed srv-pkg0 1.0-0 and 1 binary package(s) from release/noble");
                assertThat(ppa.list().archive("release").call()).isEmpty();
                assertThat(remote(url, List.of("publish", "trunk")).out())
                        .startsWith("published trunk/noble: 0 source(s), 3 binary package(s)");
                Run skew = remote(url, List.of("skew", "trunk", "release"));
                assertThat(skew.exit()).isZero();
                assertThat(skew.out()).isEqualTo("no version skew across trunk, release\n");

                // The server's refusals keep their message and exit status; commands without an endpoint say so.
                Run missing = remote(url, List.of("list", "nope"));
                assertThat(missing.exit()).isEqualTo(2);
                assertThat(missing.err()).startsWith("ppa: server " + url + ": archive 'nope' does not exist");
                Run local = remote(
                        url,
                        List.of(
                                "key",
                                "import",
                                "trunk",
                                work.resolve("any.asc").toString()));
                assertThat(local.exit()).isEqualTo(2);
                assertThat(local.err())
                        .contains("--server is supported by archive create|list|show|set, include, list");
            }
        }
    }

    @Test
    void archiveKeyUploaderTokenAndSourcesCommandsRunAgainstAServer() throws Exception {
        try (Forge forge = Forge.open(ForgeConfig.of(data))) {
            Ppaforge ppa = forge.archive();
            ppa.createArchive()
                    .name("trunk")
                    .series(List.of("noble"))
                    .architectures(List.of("amd64"))
                    .call();
            String token = ppa.createToken().name("admin").role("admin").call().secret();
            Path config =
                    Files.createDirectories(work.resolve("config/ppaforge")).resolve("config");
            Files.writeString(config, "token = " + token + "\n");
            Path pub = Tools.gpgPublicKey(
                    work.resolve("gnupg"), "Packager <packager@example.org>", work.resolve("packager.asc"));
            try (PpaServer server = new PpaServer(forge, "127.0.0.1", 0).start()) {
                String url = "http://127.0.0.1:" + server.port();
                // An archive made and configured from afar: it exists, is signed, and its Release says what was set.
                Run created = remote(
                        url,
                        List.of(
                                "archive",
                                "create",
                                "staging",
                                "--series",
                                "noble",
                                "--arch",
                                "amd64,arm64",
                                "--description",
                                "made remotely"));
                assertThat(created.exit()).as(created.err()).isZero();
                assertThat(created.out())
                        .isEqualTo(
                                "created archive staging: series noble; architectures amd64, arm64; components main\n");
                Run set = remote(
                        url,
                        List.of(
                                "archive",
                                "set",
                                "staging",
                                "--label",
                                "Staging",
                                "--valid-for",
                                "7d",
                                "--private",
                                "yes"));
                assertThat(set.exit()).as(set.err()).isZero();
                assertThat(set.out())
                        .startsWith("staging (private): Origin ppaforge, Label Staging, NotAutomatic no")
                        .contains("Valid-Until Date + 7d");
                assertThat(Files.readString(ppa.publishRoot().resolve("staging/dists/noble/InRelease")))
                        .contains("Label: Staging\n")
                        .contains("Valid-Until: ");
                // The uploaders keyring from afar.
                Run added = remote(url, List.of("uploader", "add", "trunk", pub.toString()));
                assertThat(added.exit()).as(added.err()).isZero();
                assertThat(added.out())
                        .startsWith("added uploader ")
                        .endsWith(" (Packager <packager@example.org>) of trunk\n");
                String fingerprint =
                        ppa.listUploaders().archive("trunk").call().get(0).fingerprint();
                // Reads print what they print locally.
                for (List<String> cmd : List.of(
                        List.of("archive", "show", "staging"),
                        List.of("archive", "show", "staging", "--json"),
                        List.of("key", "list", "staging"),
                        List.of("key", "export", "staging"),
                        List.of("uploader", "list", "trunk"),
                        List.of("uploader", "list", "trunk", "--json"),
                        List.of("token", "list"),
                        List.of("sources", "trunk", "--url", "http://ppa.example.org", "--series", "noble"))) {
                    Run r = remote(url, cmd);
                    assertThat(r.exit())
                            .as(String.join(" ", cmd) + ": " + r.err())
                            .isZero();
                    assertThat(r.out()).as(String.join(" ", cmd)).isEqualTo(run(cmd.toArray(String[]::new)));
                }
                // Against a server, sources points apt at that server by default.
                assertThat(remote(url, List.of("sources", "trunk")).out())
                        .contains("URIs: " + url + "/trunk\n")
                        .contains("BEGIN PGP PUBLIC KEY BLOCK");
                assertThat(ppa("sources", "trunk")
                                .redirectErrorStream(true)
                                .start()
                                .waitFor())
                        .isEqualTo(2); // locally --url is needed
                Run removed = remote(
                        url, List.of("uploader", "remove", "trunk", fingerprint.substring(fingerprint.length() - 16)));
                assertThat(removed.out()).isEqualTo("removed uploader " + fingerprint + " from trunk\n");
                assertThat(ppa.listUploaders().archive("trunk").call()).isEmpty();

                // A key transition from afar: rotate, then retire the old key; InRelease carries the new key's
                // signature only.
                String old = ppa.listKeys().archive("staging").call().get(0).fingerprint();
                Run rotated = remote(url, List.of("key", "rotate", "staging", "--json"));
                assertThat(rotated.exit()).as(rotated.err()).isZero();
                String fresh = new ObjectMapper()
                        .readTree(rotated.out())
                        .path("fingerprint")
                        .asText();
                assertThat(ppa.listKeys().archive("staging").call())
                        .extracting(k -> k.fingerprint())
                        .containsExactly(old, fresh);
                assertThat(remote(url, List.of("key", "retire", "staging", old)).out())
                        .startsWith("retired ")
                        .contains(old);
                assertThat(ppa.listKeys().archive("staging").call())
                        .filteredOn(k -> k.active())
                        .extracting(k -> k.fingerprint())
                        .containsExactly(fresh);

                // Tokens from afar: the new one works for its archive, and stops working once revoked.
                Run minted = remote(
                        url,
                        List.of("token", "create", "--name", "ci-trunk", "--role", "uploader", "--archive", "trunk"));
                assertThat(minted.exit()).as(minted.err()).isZero();
                assertThat(minted.err())
                        .contains("created uploader token 'ci-trunk' for archive trunk: it is shown only now");
                String secret = minted.out().strip();
                assertThat(ppa.authenticate()
                                .token(secret)
                                .toWrite("trunk")
                                .call()
                                .name())
                        .isEqualTo("ci-trunk");
                Run taken = remote(url, List.of("token", "create", "--name", "ci-trunk"));
                assertThat(taken.exit()).isEqualTo(3);
                assertThat(taken.err()).contains("a token named 'ci-trunk' exists");
                assertThat(new ObjectMapper()
                                .readTree(remote(url, List.of("token", "revoke", "ci-trunk", "--json"))
                                        .out())
                                .path("revoked")
                                .asText())
                        .isEqualTo("ci-trunk");
                Assertions.assertThatThrownBy(() -> ppa.authenticate()
                                .token(secret)
                                .toWrite("trunk")
                                .call())
                        .hasMessageContaining("revoked");
            }
        }
    }

    @Test
    void serveStopsCleanlyOnSigtermWithExitStatusZero() throws Exception {
        Process p = ppa("serve", "--port", "0").redirectErrorStream(true).start();
        try {
            var in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String url = null;
            StringBuilder seen = new StringBuilder();
            for (String line; url == null && (line = in.readLine()) != null; ) {
                seen.append(line).append('\n');
                var m = Pattern.compile("^ppaforge serving .* at (http://127\\.0\\.0\\.1:\\d+)/$")
                        .matcher(line);
                if (m.matches()) {
                    url = m.group(1);
                }
            }
            assertThat(url).as(seen.toString()).isNotNull();
            var health = (HttpURLConnection)
                    URI.create(url + "/api/v1/health").toURL().openConnection();
            assertThat(health.getResponseCode()).isEqualTo(200);
            // SIGTERM, as systemd and kill send it (Process.destroy sends it too, but closes the output this test
            // reads)
            assertThat(new ProcessBuilder("kill", "-TERM", Long.toString(p.pid()))
                            .start()
                            .waitFor())
                    .isZero();
            StringBuilder rest = new StringBuilder();
            for (String line; (line = in.readLine()) != null; ) {
                rest.append(line).append('\n');
            }
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(rest.toString()).isZero();
            assertThat(rest).contains("ppaforge stopped");
        } finally {
            p.destroyForcibly();
        }
    }

    record Run(int exit, String out, String err) {}

    @Test
    void commandsRunAgainstAnHttpsServerWhoseCertificateTheyTrust() throws Exception {
        try (Forge forge = Forge.open(ForgeConfig.of(data))) {
            Ppaforge ppa = forge.archive();
            ppa.createArchive()
                    .name("trunk")
                    .series(List.of("noble"))
                    .architectures(List.of("amd64"))
                    .call();
            ppa.include().archive("trunk").files(debs("tls", 2)).call();
            String token = ppa.createToken().name("admin").role("admin").call().secret();
            Files.writeString(
                    Files.createDirectories(work.resolve("config/ppaforge")).resolve("config"),
                    "token = " + token + "\n");
            Path[] pem = Tools.selfSignedCertificate(work.resolve("tls"));
            try (PpaServer server = new PpaServer(
                            forge, "127.0.0.1", 0, PpaServer.Timeouts.DEFAULT, Tls.context(pem[0], pem[1]))
                    .start()) {
                String url = "https://127.0.0.1:" + server.port();
                Run untrusted = remote(url, List.of("list", "trunk"));
                assertThat(untrusted.exit()).isEqualTo(4);
                assertThat(untrusted.err())
                        .startsWith("ppa: the TLS connection to the ppaforge server at " + url + " failed: ")
                        .contains("set $PPAFORGE_CA_CERT to its PEM file");
                Map<String, String> trust = Map.of("PPAFORGE_CA_CERT", pem[0].toString());
                Run list = remote(url, List.of("list", "trunk"), trust);
                assertThat(list.exit()).as(list.err()).isZero();
                assertThat(list.out()).isEqualTo(run("list", "trunk"));
                // An include streams its files over the same trusted connection.
                Path more = debs("tlsmore", 1).get(0);
                Run include = remote(url, List.of("include", "trunk", more.toString()), trust);
                assertThat(include.exit()).as(include.err()).isZero();
                assertThat(ppa.list().archive("trunk").call()).hasSize(3);
            }
        }
    }

    private Run remote(String url, List<String> args) throws Exception {
        return remote(url, args, Map.of());
    }

    /** A ppa process with --server URL, the token from $XDG_CONFIG_HOME/ppaforge/config, these variables added. */
    private Run remote(String url, List<String> args, Map<String, String> env) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName()));
        cmd.addAll(args);
        cmd.addAll(List.of("--server", url));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("PPAFORGE_TOKEN");
        pb.environment().put("XDG_CONFIG_HOME", work.resolve("config").toString());
        pb.environment().remove("PPAFORGE_CA_CERT");
        pb.environment().putAll(env);
        pb.redirectError(work.resolve("remote.err").toFile());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = p.waitFor();
        return new Run(exit, out, Files.readString(work.resolve("remote.err")));
    }
}
