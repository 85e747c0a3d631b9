package org.ppaforge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Drives the real picocli command tree in-process and checks output and exit status. */
class CliTest {
    record Run(int exit, String out, String err) {}

    static Run ppa(String stdin, String... args) {
        InputStream saved = System.in;
        try {
            if (stdin != null) {
                System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
            }
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int exit = Main.run(new PrintWriter(out), new PrintWriter(err), args);
            return new Run(exit, out.toString(), err.toString());
        } finally {
            System.setIn(saved);
        }
    }

    @Test
    void versionCompare() {
        assertThat(ppa(null, "version", "compare", "1.01", "1.1")).isEqualTo(new Run(0, "=\n", ""));
        assertThat(ppa(null, "version", "compare", "1.0~rc1", "1.0").out()).isEqualTo("<\n");
        assertThat(ppa(null, "version", "compare", "2:0.1", "1:9.9").out()).isEqualTo(">\n");
        Run bad = ppa(null, "version", "compare", "1.0-", "1.0");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.out()).isEmpty();
        assertThat(bad.err()).isEqualTo("ppa: invalid version '1.0-': revision number is empty\n");
        assertThat(ppa(null, "version", "compare", "1.0").exit()).isEqualTo(2);
    }

    @Test
    void pipelineCheckSaysWhatRunsOrWhereTheFileIsWrong(@TempDir Path dir) throws Exception {
        Path good = Files.writeString(dir.resolve(".ppaforge.yml"), """
                archive: trunk
                series: bookworm
                check:
                  commands: [make test]
                upload: true
                build:
                test:
                  install: [mytool]
                  script: tests/install.sh
                  timeout: 10m
                promote:
                  to: milestone-proposed
                """);
        Run ok = ppa(null, "pipeline", "check", good.toString());
        assertThat(ok.exit()).as(ok.err()).isZero();
        assertThat(ok.out())
                .isEqualTo(good + " is valid: check (1 command(s)), then source (version "
                        + "{debupstream}+git{revtime}.{revno}.{git-commit}-0ppa1), then upload to trunk/bookworm, then build, then test "
                        + "(tests/install.sh, callback within 10m), then promote to milestone-proposed\n");
        Path bad = Files.writeString(
                dir.resolve("bad.yml"), "archive: trunk\nseries: bookworm\n" + "check:\n  comands: [make]\n");
        Run r = ppa(null, "pipeline", "check", bad.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err())
                .isEqualTo(
                        "ppa: " + bad + ":4:3: unknown key 'comands' in check (expected one of: artifacts, commands, "
                                + "coverage, timeout)\n");
        assertThat(ppa(null, "pipeline", "check", dir.resolve("none.yml").toString())
                        .err())
                .contains("none.yml: no such file");
    }

    @Test
    void versionSort() throws Exception {
        Run r = ppa("1.0\n1.0~rc1\n\n2:0.1\n1.0+b1\n1.00\n", "version", "sort");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).isEqualTo("1.0~rc1\n1.0\n1.00\n1.0+b1\n2:0.1\n");
        assertThat(ppa("1\n2\n", "version", "sort", "--reverse").out()).isEqualTo("2\n1\n");
        JsonNode json = new ObjectMapper()
                .readTree(ppa("1:2.0-3\n", "version", "sort", "--json").out());
        assertThat(json.get(0).get("upstream").asText()).isEqualTo("2.0");
        assertThat(json.get(0).get("epoch").asInt()).isEqualTo(1);
        Run bad = ppa("1.0\nnot a version\n", "version", "sort");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.out()).isEmpty();
        assertThat(bad.err()).startsWith("ppa: stdin:2: invalid version 'not a version'");
    }

    @Test
    void debShow(@TempDir Path dir) throws Exception {
        Path root = dir.resolve("tree");
        Files.createDirectories(root.resolve("DEBIAN"));
        Files.createDirectories(root.resolve("usr/share/demo"));
        Files.writeString(
                root.resolve("DEBIAN/control"),
                "Package: demo\nVersion: 1.0-1\nArchitecture: all\nMaintainer: T <t@example.org>\nDescription: demo\n");
        Files.writeString(root.resolve("usr/share/demo/a.txt"), "a\n");
        Path deb = dir.resolve("demo_1.0-1_all.deb");
        Process p = new ProcessBuilder(
                        "dpkg-deb", "--root-owner-group", "-Zzstd", "--build", root.toString(), deb.toString())
                .redirectErrorStream(true)
                .start();
        assertThat(p.waitFor()).isZero();
        String sha256 = new String(new ProcessBuilder("sha256sum", deb.toString())
                        .start()
                        .getInputStream()
                        .readAllBytes())
                .split(" ")[0];

        Run text = ppa(null, "deb", "show", deb.toString());
        assertThat(text.exit()).isZero();
        assertThat(text.out())
                .contains(
                        "Package: demo\n",
                        "SHA256: " + sha256 + "\n",
                        "Members: control.tar.zst, data.tar.zst\n",
                        "Files: 1 (");

        Run json = ppa(null, "deb", "show", "--json", "--files", deb.toString());
        JsonNode node = new ObjectMapper().readTree(json.out()).get(0);
        assertThat(node.get("control").get("Version").asText()).isEqualTo("1.0-1");
        assertThat(node.get("sha256").asText()).isEqualTo(sha256);
        assertThat(node.get("fileCount").asInt()).isEqualTo(1);
        assertThat(node.get("files").toString()).contains("usr/share/demo/a.txt");

        Path garbage = dir.resolve("garbage.deb");
        Files.writeString(garbage, "nope");
        Run bad = ppa(null, "deb", "show", garbage.toString());
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err())
                .isEqualTo("ppa: " + garbage + ": not a Debian package: no ar archive signature ('!<arch>')\n");
        Run missing = ppa(null, "deb", "show", dir.resolve("missing.deb").toString());
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("missing.deb: no such file");
    }

    @Test
    void helpListsCommandsAndExitCodes() {
        Run help = ppa(null, "--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("version", "deb", "Exit status:", "refused by an archive rule");
        assertThat(ppa(null, "version", "sort", "--help").out()).contains("stable");
        assertThat(ppa(null, "no-such-command").exit()).isEqualTo(2);
    }

    @Test
    void publishingKeysSourcesAndSettings(@TempDir Path dir) throws Exception {
        String d = dir.resolve("data").toString();
        assertThat(ppa(null, "archive", "create", "trunk", "--series", "noble", "--arch", "amd64", "--data-dir", d)
                        .exit())
                .isZero();
        Path dist = dir.resolve("data/public/trunk/dists/noble");
        assertThat(Files.readString(dist.resolve("InRelease"))).startsWith("-----BEGIN PGP SIGNED MESSAGE-----");

        JsonNode keys = new ObjectMapper()
                .readTree(ppa(null, "key", "list", "trunk", "--json", "--data-dir", d)
                        .out());
        assertThat(keys).hasSize(1);
        assertThat(keys.get(0).get("algorithm").asText()).isEqualTo("ed25519");
        assertThat(keys.get(0).get("active").asBoolean()).isTrue();
        String first = keys.get(0).get("fingerprint").asText();

        Run again = ppa(null, "key", "generate", "trunk", "--data-dir", d);
        assertThat(again.exit()).isEqualTo(3);
        assertThat(again.err()).contains("already has signing key " + first).contains("ppa key rotate trunk");
        Run rotated = ppa(null, "key", "rotate", "trunk", "--data-dir", d);
        assertThat(rotated.exit()).isZero();
        assertThat(rotated.out()).startsWith("added ed25519 key ");
        Run export = ppa(null, "key", "export", "trunk", "--data-dir", d);
        assertThat(export.out())
                .startsWith("-----BEGIN PGP PUBLIC KEY BLOCK-----")
                .contains("-----END PGP PUBLIC KEY BLOCK-----");
        Path exported = dir.resolve("keys.asc");
        Files.writeString(exported, export.out());
        Process gpg = new ProcessBuilder("gpg", "--batch", "--with-colons", "--show-keys", exported.toString()).start();
        String colons = new String(gpg.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(colons.lines().filter(l -> l.startsWith("pub:")).count())
                .isEqualTo(2); // both keys during the transition

        assertThat(ppa(null, "key", "retire", "trunk", first.substring(30), "--data-dir", d)
                        .exit())
                .isZero();
        Run twice = ppa(null, "key", "retire", "trunk", first, "--data-dir", d);
        assertThat(twice.exit()).isEqualTo(3);
        assertThat(twice.err()).contains("already retired");
        assertThat(ppa(null, "key", "retire", "trunk", "0000", "--data-dir", d).err())
                .contains("at least the last 8 hex digits");
        assertThat(ppa(
                                null,
                                "key",
                                "import",
                                "trunk",
                                dir.resolve("missing.asc").toString(),
                                "--data-dir",
                                d)
                        .exit())
                .isEqualTo(2);
        Path notAKey = dir.resolve("not-a-key.asc");
        Files.writeString(notAKey, "hello\n");
        Run bad = ppa(null, "key", "import", "trunk", notAKey.toString(), "--data-dir", d);
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains(notAKey.toString()).contains("not an OpenPGP secret key");

        Run sources = ppa(null, "sources", "trunk", "--url", "http://ppa.example.org/", "--data-dir", d);
        assertThat(sources.exit()).isZero();
        assertThat(sources.out())
                .startsWith("Types: deb deb-src\nURIs: http://ppa.example.org/trunk\nSuites: noble\nComponents: main\n"
                        + "Signed-By:\n -----BEGIN PGP PUBLIC KEY BLOCK-----\n .\n");
        assertThat(ppa(null, "sources", "trunk", "--url", "ppa.example.org", "--data-dir", d)
                        .exit())
                .isEqualTo(2);
        // For apt before 2.3.10: a keyring file named instead of the key inline; a path that is not one is refused.
        Run keyFile = ppa(
                null,
                "sources",
                "trunk",
                "--url",
                "http://ppa.example.org",
                "--key-file",
                "/etc/apt/keyrings/trunk.gpg",
                "--no-deb-src",
                "--data-dir",
                d);
        assertThat(keyFile.out())
                .isEqualTo("Types: deb\nURIs: http://ppa.example.org/trunk\nSuites: noble\nComponents: main\n"
                        + "Signed-By: /etc/apt/keyrings/trunk.gpg\n");
        assertThat(ppa(null, "sources", "trunk", "--url", "http://x", "--key-file", "trunk.gpg", "--data-dir", d)
                        .exit())
                .isEqualTo(2);

        assertThat(ppa(
                                null,
                                "archive",
                                "set",
                                "trunk",
                                "--valid-for",
                                "7d",
                                "--not-automatic",
                                "yes",
                                "--origin",
                                "Example",
                                "--data-dir",
                                d)
                        .exit())
                .isZero();
        String release = Files.readString(dist.resolve("Release"));
        assertThat(release)
                .contains("Origin: Example\n")
                .contains("NotAutomatic: yes\n")
                .contains("Valid-Until: ");
        assertThat(ppa(null, "archive", "set", "trunk", "--valid-for", "banana", "--data-dir", d)
                        .exit())
                .isEqualTo(2);
        assertThat(ppa(null, "archive", "set", "trunk", "--valid-for", "0", "--data-dir", d)
                        .exit())
                .isZero();
        assertThat(Files.readString(dist.resolve("Release"))).doesNotContain("Valid-Until");

        Run published = ppa(null, "publish", "trunk", "--json", "--data-dir", d);
        assertThat(published.exit()).isZero();
        JsonNode json = new ObjectMapper().readTree(published.out());
        assertThat(json.get("series").get(0).get("series").asText()).isEqualTo("noble");
        assertThat(json.get("signedBy")).hasSize(1);
        Run missing = ppa(null, "publish", "nope", "--data-dir", d);
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("archive 'nope' does not exist");
        Run remoteList = ppa(null, "list", "trunk", "--server", "http://127.0.0.1:9", "--data-dir", d);
        assertThat(remoteList.exit()).isEqualTo(4);
        assertThat(remoteList.err()).contains("cannot reach the ppaforge server at http://127.0.0.1:9");
        Path other = dir.resolve("elsewhere");
        assertThat(ppa(null, "publish", "trunk", "--publish-dir", other.toString(), "--data-dir", d)
                        .exit())
                .isZero();
        assertThat(other.resolve("trunk/dists/noble/InRelease")).exists();
    }

    @Test
    void uploadersKeyring(@TempDir Path dir) throws Exception {
        String d = dir.resolve("data").toString();
        assertThat(ppa(null, "archive", "create", "trunk", "--series", "noble", "--arch", "amd64", "--data-dir", d)
                        .exit())
                .isZero();
        Path home = Files.createDirectories(dir.resolve("gnupg"));
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
        List<String> gpg = List.of(
                "gpg", "--batch", "--homedir", home.toString(), "--passphrase", "", "--pinentry-mode", "loopback");
        for (List<String> extra : List.of(
                List.of("--quick-gen-key", "Packager <packager@example.org>", "ed25519", "sign", "never"),
                List.of("--quick-gen-key", "Gone <gone@example.org>", "ed25519", "sign", "never"))) {
            List<String> cmd = new ArrayList<>(gpg);
            cmd.addAll(extra);
            assertThat(new ProcessBuilder(cmd).redirectErrorStream(true).start().waitFor())
                    .isZero();
        }
        Path pub = dir.resolve("packager.asc");
        List<String> export = new ArrayList<>(gpg);
        export.addAll(List.of("--armor", "--output", pub.toString(), "--export", "packager@example.org"));
        assertThat(new ProcessBuilder(export).redirectErrorStream(true).start().waitFor())
                .isZero();

        Run added = ppa(null, "uploader", "add", "trunk", pub.toString(), "--data-dir", d);
        assertThat(added.exit()).as(added.err()).isZero();
        assertThat(added.out()).contains("added uploader ").contains("Packager <packager@example.org>");
        JsonNode list = new ObjectMapper()
                .readTree(ppa(null, "uploader", "list", "trunk", "--json", "--data-dir", d)
                        .out());
        assertThat(list).hasSize(1);
        String fpr = list.get(0).get("fingerprint").asText();
        Run twice = ppa(null, "uploader", "add", "trunk", pub.toString(), "--data-dir", d);
        assertThat(twice.exit()).isEqualTo(3);
        assertThat(twice.err()).contains("already an uploader of trunk");

        // A revoked key is refused: gpg's revocation certificate imported makes the exported key revoked.
        String gone = Files.list(home.resolve("openpgp-revocs.d"))
                .map(Path::toString)
                .filter(f -> !f.contains(fpr))
                .findFirst()
                .orElseThrow();
        String cert = Files.readString(Path.of(gone))
                .replace(":-----BEGIN PGP PUBLIC KEY BLOCK-----", "-----BEGIN PGP PUBLIC KEY BLOCK-----");
        Path certFile = dir.resolve("revoke.asc");
        Files.writeString(certFile, cert);
        List<String> imp = new ArrayList<>(gpg);
        imp.addAll(List.of("--import", certFile.toString()));
        assertThat(new ProcessBuilder(imp).redirectErrorStream(true).start().waitFor())
                .isZero();
        Path revoked = dir.resolve("gone.asc");
        List<String> export2 = new ArrayList<>(gpg);
        export2.addAll(List.of("--armor", "--output", revoked.toString(), "--export", "gone@example.org"));
        assertThat(new ProcessBuilder(export2).redirectErrorStream(true).start().waitFor())
                .isZero();
        Run refused = ppa(null, "uploader", "add", "trunk", revoked.toString(), "--data-dir", d);
        assertThat(refused.exit()).isEqualTo(3);
        assertThat(refused.err()).contains(revoked.toString()).contains("cannot be an uploader: it is revoked");

        Path notAKey = dir.resolve("junk.asc");
        Files.writeString(notAKey, "junk\n");
        assertThat(ppa(null, "uploader", "add", "trunk", notAKey.toString(), "--data-dir", d)
                        .exit())
                .isEqualTo(2);
        Run removed = ppa(null, "uploader", "remove", "trunk", fpr.substring(28), "--json", "--data-dir", d);
        assertThat(removed.exit()).isZero();
        assertThat(new ObjectMapper()
                        .readTree(removed.out())
                        .path("fingerprint")
                        .asText())
                .isEqualTo(fpr);
        assertThat(ppa(null, "uploader", "remove", "trunk", fpr, "--data-dir", d)
                        .err())
                .contains("is not an uploader of trunk");
    }

    @Test
    void rebuildSetsAreDefinedListedAndCheckedBeforeAnythingRuns(@TempDir Path dir) {
        String d = dir.resolve("data").toString();
        assertThat(ppa(null, "archive", "create", "snapshots", "--data-dir", d, "--series", "sid", "--arch", "amd64")
                        .exit())
                .isZero();
        assertThat(ppa(
                                null,
                                "archive",
                                "create",
                                "rebuilds",
                                "--data-dir",
                                d,
                                "--series",
                                "bookworm",
                                "--arch",
                                "amd64")
                        .exit())
                .isZero();
        Run missing = ppa(
                null,
                "rebuild",
                "create",
                "nightly",
                "--data-dir",
                d,
                "--from",
                "nosuch",
                "--packages",
                "hello",
                "--into",
                "rebuilds");
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("archive 'nosuch' does not exist");
        Run same = ppa(
                null,
                "rebuild",
                "create",
                "nightly",
                "--data-dir",
                d,
                "--from",
                "rebuilds",
                "--packages",
                "hello",
                "--into",
                "rebuilds");
        assertThat(same.err()).contains("rebuilds go to another archive");
        Run made = ppa(
                null,
                "rebuild",
                "create",
                "nightly",
                "--data-dir",
                d,
                "--from",
                "snapshots/sid",
                "--packages",
                "hello,sl",
                "--into",
                "rebuilds");
        assertThat(made)
                .isEqualTo(
                        new Run(0, "rebuild set nightly: hello, sl from snapshots/sid into rebuilds/bookworm\n", ""));
        assertThat(ppa(null, "rebuild", "list", "--data-dir", d).out())
                .contains("nightly")
                .contains("snapshots/sid")
                .contains("hello,sl");
        assertThat(ppa(null, "rebuild", "show", "nightly", "--data-dir", d).out())
                .contains("from:     snapshots/sid")
                .contains("into:     rebuilds/bookworm")
                .contains("no run yet");
        Run none = ppa(null, "rebuild", "results", "nightly", "--data-dir", d);
        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.err()).contains("rebuild set nightly has no run yet");
        assertThat(ppa(
                                null,
                                "rebuild",
                                "create",
                                "nightly",
                                "--data-dir",
                                d,
                                "--from",
                                "snapshots",
                                "--packages",
                                "x",
                                "--into",
                                "rebuilds")
                        .exit())
                .isEqualTo(3);
        assertThat(ppa(null, "rebuild", "runs", "nosuch", "--data-dir", d).err())
                .contains("there is no rebuild set 'nosuch'");
    }
}
