package org.ppaforge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ppaforge.forge.Forge;
import org.ppaforge.forge.ForgeConfig;

/** {@code ppa backport} as a user runs it, against the real Debian mirror: the plan, the backport, the refusals. */
@Timeout(300)
class BackportCliTest {
    @TempDir
    Path data;

    @TempDir
    Path work;

    private PpaProcesses.Result ppa(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--data-dir", data.toString()));
        return PpaProcesses.run(Files.createDirectories(work.resolve("home")), null, all);
    }

    @Test
    void aDryRunTheBackportAndWhatIsRefused() throws Exception {
        try (Forge forge = Forge.open(ForgeConfig.of(data))) {
            forge.archive()
                    .createArchive()
                    .name("backports")
                    .series(List.of("bullseye"))
                    .architectures(List.of("amd64"))
                    .call();
        }
        PpaProcesses.Result set = ppa(
                "archive",
                "set",
                "backports",
                "--external-dependency",
                "deb http://deb.debian.org/debian bullseye main",
                "--external-key",
                "/usr/share/keyrings/debian-archive-keyring.gpg");
        assertThat(set.exit()).as(set.toString()).isZero();
        String[] common = {
            "backport",
            "hello",
            "--from",
            "deb-src http://deb.debian.org/debian bookworm main",
            "--from-key",
            "/usr/share/keyrings/debian-archive-bookworm-automatic.gpg",
            "--to",
            "backports",
            "--series",
            "bullseye"
        };
        List<String> dry = new ArrayList<>(List.of(common));
        dry.add("--dry-run");
        PpaProcesses.Result plan = ppa(dry.toArray(String[]::new));
        assertThat(plan.exit()).as(plan.toString()).isZero();
        assertThat(plan.out())
                .matches("plan, in build order:\n  1\\. hello (\\S+) as \\1~bpo11\\+1\n"
                        + "would backport hello \\1 from deb-src http://deb.debian.org/debian bookworm main as "
                        + "\\1~bpo11\\+1 into backports/bullseye\n");

        // A build-dependency only bookworm has: the plan backports it first, and says why.
        List<String> macutils = new ArrayList<>(List.of(common));
        macutils.set(1, "macutils");
        macutils.addAll(List.of("--with-build-deps", "--dry-run"));
        PpaProcesses.Result deps = ppa(macutils.toArray(String[]::new));
        assertThat(deps.exit()).as(deps.toString()).isZero();
        assertThat(deps.out())
                .containsPattern("  1\\. debhelper \\S+ as \\S+~bpo11\\+1: macutils \\(to build\\) Build-Depends: "
                        + "debhelper \\(>= 13\\.5\\.2\\)\n")
                .containsPattern("  2\\. macutils \\S+ as \\S+~bpo11\\+1 \\(builds after debhelper\\)\n");

        PpaProcesses.Result done = ppa(common);
        assertThat(done.exit()).as(done.toString()).isZero();
        assertThat(done.out())
                .contains("~bpo11+1 into backports/bullseye (hello_")
                .contains("the build farm builds it");
        assertThat(ppa("list", "backports").out()).contains("~bpo11+1");

        List<String> template = new ArrayList<>(List.of(common));
        template.addAll(List.of("--version-suffix", "+ppa{n}"));
        PpaProcesses.Result bad = ppa(template.toArray(String[]::new));
        assertThat(bad.exit()).isEqualTo(ExitCodes.INVALID);
        assertThat(bad.err()).contains("starts with '~'");

        List<String> remote = new ArrayList<>(List.of(common));
        remote.addAll(List.of("--server", "http://127.0.0.1:9"));
        PpaProcesses.Result refused = PpaProcesses.run(work.resolve("home"), null, remote);
        assertThat(refused.exit()).isEqualTo(ExitCodes.INVALID);
    }
}
