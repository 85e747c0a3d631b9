package org.ppaforge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.debian.testing.RealDebs;
import org.ppaforge.debian.testing.Tools;
import org.ppaforge.forge.Forge;
import org.ppaforge.forge.ForgeConfig;

/** What the README says the command line does, run as a user runs it (real `ppa` processes), one promise a test. */
class ReadmePromisesTest {
    @TempDir
    Path home;

    @TempDir
    Path work;

    /** `ppa ARGS` with exactly these variables (HOME and PATH kept), stdout and stderr together. */
    private Tools.Result ppa(Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("PPAFORGE_") || k.startsWith("XDG_"));
        pb.environment().put("HOME", home.toString());
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Tools.Result(p.waitFor(), out, "");
    }

    @Test
    void theDataDirectoryIsDataDirThenPpaforgeHomeThenXdgDataHomeThenHome() throws Exception {
        Path explicit = work.resolve("explicit");
        Path ppaHome = work.resolve("ppa-home");
        Path xdg = work.resolve("xdg");
        Map<String, String> all = Map.of("PPAFORGE_HOME", ppaHome.toString(), "XDG_DATA_HOME", xdg.toString());
        ppa(all, "archive", "create", "a1", "--series", "noble", "--arch", "amd64", "--data-dir", explicit.toString())
                .orFail("a1");
        ppa(all, "archive", "create", "a2", "--series", "noble", "--arch", "amd64")
                .orFail("a2");
        ppa(Map.of("XDG_DATA_HOME", xdg.toString()), "archive", "create", "a3", "--series", "noble", "--arch", "amd64")
                .orFail("a3");
        ppa(Map.of(), "archive", "create", "a4", "--series", "noble", "--arch", "amd64")
                .orFail("a4");
        assertThat(names(explicit)).containsExactly("a1");
        assertThat(names(ppaHome)).containsExactly("a2");
        assertThat(names(xdg.resolve("ppaforge"))).containsExactly("a3");
        assertThat(names(home.resolve(".local/share/ppaforge"))).containsExactly("a4");
    }

    private static List<String> names(Path dataDir) {
        try (Forge forge = Forge.open(ForgeConfig.of(dataDir))) {
            Ppaforge ppa = forge.archive();
            return ppa.listArchives().call().stream()
                    .map(s -> s.archive().name())
                    .toList();
        }
    }

    @Test
    void includeOfADirectoryTakesTheDebsInItAndKeyGenerateSignsWithTheNewKey() throws Exception {
        Map<String, String> env = Map.of("PPAFORGE_HOME", work.resolve("data").toString());
        ppa(env, "archive", "create", "trunk", "--series", "noble", "--arch", "amd64", "--key", "none")
                .orFail("create");
        Path dir = Files.createDirectories(work.resolve("debs"));
        for (String n : List.of("one", "two", "three")) {
            Files.move(RealDebs.build(work, n, "1.0", "amd64", "xz"), dir.resolve(n + "_1.0_amd64.deb"));
        }
        Files.writeString(dir.resolve("README.txt"), "not a package: a directory stands for its .deb files only");
        Tools.Result include = ppa(env, "include", "trunk", dir.toString());
        assertThat(include.exit()).as(include.out()).isZero();
        assertThat(include.out())
                .contains("3 source(s) and 3 binary package(s) published")
                .contains("binary  two 1.0 (amd64)");
        Path dist = work.resolve("data/public/trunk/dists/noble");
        assertThat(dist.resolve("InRelease")).doesNotExist(); // no key yet: unsigned

        Tools.Result generate = ppa(env, "key", "generate", "trunk", "--json");
        assertThat(generate.exit()).as(generate.out()).isZero();
        String fpr = new ObjectMapper()
                .readTree(generate.out().substring(generate.out().indexOf('{')))
                .findValue("fingerprint")
                .asText();
        Path key = Files.writeString(
                work.resolve("key.asc"),
                ppa(env, "key", "export", "trunk").orFail("export").out());
        Path keyring = work.resolve("key.gpg");
        Tools.run(work, "gpg", "--batch", "--yes", "--output", keyring.toString(), "--dearmor", key.toString())
                .orFail("dearmor");
        Tools.Result gpgv = Tools.run(dist, "gpgv", "--status-fd", "1", "--keyring", keyring.toString(), "InRelease");
        assertThat(gpgv.out()).as(gpgv.err()).contains("VALIDSIG " + fpr);
    }

    @Test
    void publishSignsAfreshWithNewDates() throws Exception {
        Map<String, String> env = Map.of("PPAFORGE_HOME", work.resolve("data").toString());
        ppa(env, "archive", "create", "trunk", "--series", "noble", "--arch", "amd64")
                .orFail("create");
        Path inRelease = work.resolve("data/public/trunk/dists/noble/InRelease");
        String before = Files.readString(inRelease);
        Thread.sleep(1100); // Release dates have one-second resolution
        ppa(env, "publish", "trunk").orFail("publish");
        String after = Files.readString(inRelease);
        assertThat(date(after)).isNotEqualTo(date(before));
        assertThat(signature(after)).isNotEqualTo(signature(before));
    }

    private static String date(String release) {
        return release.lines().filter(l -> l.startsWith("Date: ")).findFirst().orElseThrow();
    }

    private static String signature(String inRelease) {
        return inRelease.substring(inRelease.indexOf("-----BEGIN PGP SIGNATURE-----"));
    }

    @Test
    void demoRunsItsRoundTripAndLeavesNothing() throws Exception {
        Tools.Result demo = ppa(Map.of("PPAFORGE_HOME", work.resolve("data").toString()), "demo");
        assertThat(demo.exit()).as(demo.out()).isZero();
        assertThat(demo.out()).contains("<").containsIgnoringCase("skew");
        assertThat(work.resolve("data")).doesNotExist(); // a temporary data directory of its own, removed
    }

    @Test
    void serveMakesTheFirstAdminTokenOnceAndRepublishesArchivesAtStart() throws Exception {
        Map<String, String> env = Map.of("PPAFORGE_HOME", work.resolve("data").toString());
        ppa(env, "archive", "create", "trunk", "--series", "noble", "--arch", "amd64")
                .orFail("create");
        Path inRelease = work.resolve("data/public/trunk/dists/noble/InRelease");
        Files.delete(inRelease); // a tree that lost a file (or is older than the store): start-up publishes it again
        String first = serveOnce(env);
        Matcher token =
                Pattern.compile("created the first admin token.*\\n\\s+(\\S+)").matcher(first);
        assertThat(token.find()).as(first).isTrue();
        assertThat(inRelease).exists();
        try (Forge forge = Forge.open(ForgeConfig.of(work.resolve("data")))) {
            Ppaforge ppa = forge.archive();
            assertThat(ppa.authenticate()
                            .token(token.group(1))
                            .adminOnly()
                            .call()
                            .name())
                    .isEqualTo("admin");
        }
        String second = serveOnce(env);
        assertThat(second).doesNotContain("created the first admin token");
    }

    @Test
    void serveSizeFlagsLimitUploads() throws Exception {
        Map<String, String> env = Map.of("PPAFORGE_HOME", work.resolve("data").toString());
        ppa(env, "archive", "create", "trunk", "--series", "noble", "--arch", "amd64")
                .orFail("create");
        String token;
        try (Forge forge = Forge.open(ForgeConfig.of(work.resolve("data")))) {
            Ppaforge ppa = forge.archive();
            token = ppa.createToken()
                    .name("ci")
                    .role("uploader")
                    .archive("trunk")
                    .call()
                    .secret();
        }
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "serve",
                "--port",
                "0",
                "--max-file-size",
                "1K",
                "--max-upload-size",
                "3K"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("PPAFORGE_"));
        pb.environment().putAll(env);
        Process p = pb.start();
        try {
            Matcher url = PpaProcesses.waitFor(
                    PpaProcesses.output(p),
                    "ppaforge serving .* at (http://127\\.0\\.0\\.1:\\d+)/$",
                    new StringBuilder());
            assertThat(url).isNotNull();
            var http = HttpClient.newHttpClient();
            BiFunction<String, Integer, HttpResponse<String>> put = (name, size) -> {
                try {
                    return http.send(
                            HttpRequest.newBuilder(URI.create(url.group(1) + "/upload/trunk/" + name))
                                    .header("Authorization", "Bearer " + token)
                                    .PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[size]))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            };
            var big = put.apply("big_1.0.orig.tar.gz", 2048);
            assertThat(big.statusCode()).isEqualTo(413);
            assertThat(big.body()).contains("the limit per file is 1 KiB");
            for (int i = 0; i < 3; i++) {
                assertThat(put.apply("part" + i + "_1.0.orig.tar.gz", 1000).statusCode())
                        .isEqualTo(201);
            }
            var over = put.apply("part3_1.0.orig.tar.gz", 1000);
            assertThat(over.statusCode()).isEqualTo(413);
            assertThat(over.body()).contains("the limit per upload");
        } finally {
            new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).start().waitFor();
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** Starts `ppa serve`, waits until it serves, stops it with SIGTERM; returns what it printed. */
    private String serveOnce(Map<String, String> env) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "serve",
                "--port",
                "0"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("PPAFORGE_"));
        pb.environment().putAll(env);
        Process p = pb.start();
        StringBuilder seen = new StringBuilder();
        try {
            assertThat(PpaProcesses.waitFor(PpaProcesses.output(p), "ppaforge serving", seen))
                    .as(seen.toString())
                    .isNotNull();
        } finally {
            new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).start().waitFor();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        return seen.toString();
    }
}
