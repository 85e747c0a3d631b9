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
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Drives the real picocli command tree in-process and checks output and exit status. */
class CliTest {
    record Run(int exit, String out, String err) {
    }

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
    void versionSort() throws Exception {
        Run r = ppa("1.0\n1.0~rc1\n\n2:0.1\n1.0+b1\n1.00\n", "version", "sort");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).isEqualTo("1.0~rc1\n1.0\n1.00\n1.0+b1\n2:0.1\n");
        assertThat(ppa("1\n2\n", "version", "sort", "--reverse").out()).isEqualTo("2\n1\n");
        JsonNode json = new ObjectMapper().readTree(ppa("1:2.0-3\n", "version", "sort", "--json").out());
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
        Files.writeString(root.resolve("DEBIAN/control"),
                "Package: demo\nVersion: 1.0-1\nArchitecture: all\nMaintainer: T <t@example.org>\nDescription: demo\n");
        Files.writeString(root.resolve("usr/share/demo/a.txt"), "a\n");
        Path deb = dir.resolve("demo_1.0-1_all.deb");
        Process p = new ProcessBuilder("dpkg-deb", "--root-owner-group", "-Zzstd", "--build", root.toString(), deb.toString())
                .redirectErrorStream(true).start();
        assertThat(p.waitFor()).isZero();
        String sha256 = new String(new ProcessBuilder("sha256sum", deb.toString()).start().getInputStream().readAllBytes()).split(" ")[0];

        Run text = ppa(null, "deb", "show", deb.toString());
        assertThat(text.exit()).isZero();
        assertThat(text.out()).contains("Package: demo\n", "SHA256: " + sha256 + "\n", "Members: control.tar.zst, data.tar.zst\n",
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
        assertThat(bad.err()).isEqualTo("ppa: " + garbage + ": not a Debian package: no ar archive signature ('!<arch>')\n");
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
}
