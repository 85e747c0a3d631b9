package org.ppaforge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ppaforge.debian.control.Deb822Reader;
import org.ppaforge.debian.deb.DebWriter;
import org.ppaforge.forge.Forge;
import org.ppaforge.forge.ForgeConfig;

/**
 * {@code ppa copy --with-dependencies} as a release engineer runs it: by default the target's dependency archives
 * count as there (the builds' own view), {@code --satisfied-by} names others, {@code --dry-run} prints the plan with
 * the relation that pulled each source in; {@code ppa skew --dependencies} exits 1 naming what stayed behind.
 */
@Timeout(120)
class CopyDependenciesCliTest {
    @TempDir
    Path data;

    @TempDir
    Path work;

    private Path deb(String pkg, String version, String depends) throws Exception {
        String control =
                "Package: " + pkg + "\nVersion: " + version + "\nArchitecture: all\nMaintainer: T <t@example.org>\n"
                        + (depends == null ? "" : "Depends: " + depends + "\n") + "Description: " + pkg + "\n test\n";
        Path f = work.resolve(pkg + "_" + version + "_all.deb");
        Files.write(
                f,
                new DebWriter(Deb822Reader.parseSingle(control, "test"))
                        .file("usr/share/doc/" + pkg + "/README", pkg.getBytes(StandardCharsets.UTF_8))
                        .toBytes());
        return f;
    }

    private PpaProcesses.Result ppa(String... args) throws Exception {
        List<String> all = new java.util.ArrayList<>(List.of(args));
        all.addAll(List.of("--data-dir", data.toString()));
        return PpaProcesses.run(work, null, all);
    }

    @Test
    void theTargetsDependencyArchivesCountAndThePlanSaysWhy() throws Exception {
        try (Forge forge = Forge.open(ForgeConfig.of(data))) {
            for (String a : List.of("trunk", "release", "backports", "stable")) {
                forge.archive()
                        .createArchive()
                        .name(a)
                        .series(List.of("noble"))
                        .architectures(List.of("amd64"))
                        .call();
            }
            forge.archive()
                    .include()
                    .archive("trunk")
                    .series("noble")
                    .files(List.of(
                            deb("mytool", "1.0", "helper (>= 0.4), libfoo1 (>= 1.2)"),
                            deb("helper", "0.5", null),
                            deb("libfoo1", "1.2", null)))
                    .call();
            forge.archive()
                    .include()
                    .archive("backports")
                    .series("noble")
                    .files(List.of(deb("helper", "0.4", null)))
                    .call();
            forge.archive()
                    .include()
                    .archive("release")
                    .series("noble")
                    .files(List.of(deb("libfoo1", "1.0", null)))
                    .call();
            forge.archive()
                    .include()
                    .archive("stable")
                    .series("noble")
                    .files(List.of(deb("libfoo1", "1.0", null)))
                    .call();
            forge.farm()
                    .setDependencies()
                    .archive("release")
                    .archives(List.of("backports"))
                    .call();
        }
        PpaProcesses.Result plan = ppa(
                "copy",
                "mytool",
                "--from",
                "trunk",
                "--to",
                "release",
                "--with-binaries",
                "--with-dependencies",
                "--dry-run");
        assertThat(plan.exit()).as(plan.toString()).isZero();
        assertThat(plan.err()).contains("counting as there: backports (release's dependency archives");
        assertThat(plan.out())
                .contains("libfoo1 1.2: taken along (mytool Depends: libfoo1 (>= 1.2))")
                .doesNotContain("helper")
                .contains("mytool 1.0: planned trunk/noble -> release/noble");

        PpaProcesses.Result named = ppa(
                "copy",
                "mytool",
                "--from",
                "trunk",
                "--to",
                "release",
                "--with-binaries",
                "--with-dependencies",
                "--satisfied-by",
                "release",
                "--dry-run");
        assertThat(named.out()).contains("helper 0.5: taken along (mytool Depends: helper (>= 0.4))");

        PpaProcesses.Result copied =
                ppa("copy", "mytool", "--from", "trunk", "--to", "release", "--with-binaries", "--with-dependencies");
        assertThat(copied.exit()).as(copied.toString()).isZero();
        assertThat(ppa("list", "release").out())
                .contains("libfoo1")
                .contains("1.2")
                .contains("mytool");
        PpaProcesses.Result skew = ppa("skew", "release", "backports", "--dependencies");
        assertThat(skew.exit()).as(skew.toString()).isZero(); // everything mytool names is there now

        // Copied without its dependencies, mytool in stable would run against libfoo1 1.0: skew --dependencies says so.
        PpaProcesses.Result behind = ppa("copy", "mytool", "--from", "trunk", "--to", "stable", "--with-binaries");
        assertThat(behind.exit()).as(behind.toString()).isZero();
        PpaProcesses.Result found = ppa("skew", "stable", "backports", "--dependencies");
        assertThat(found.exit()).as(found.toString()).isEqualTo(ExitCodes.FOUND);
        assertThat(found.out())
                .containsPattern("(?m)^stable +noble +mytool +1\\.0 +Depends: libfoo1 \\(>= 1\\.2\\) +libfoo1 1\\.0$")
                .doesNotContain("helper");

        // A sync takes everything along; with --with-dependencies it also says what is still missing, as skew does.
        PpaProcesses.Result syncPlan =
                ppa("sync", "stable", "release", "--dry-run", "--with-dependencies", "--satisfied-by", "backports");
        assertThat(syncPlan.exit()).as(syncPlan.toString()).isEqualTo(ExitCodes.FOUND);
        assertThat(syncPlan.out())
                .containsPattern("(?m)^stable +noble +mytool +1\\.0 +Depends: libfoo1 \\(>= 1\\.2\\) +libfoo1 1\\.0$");
        PpaProcesses.Result synced = ppa("sync", "release", "stable", "--with-dependencies");
        assertThat(synced.exit()).as(synced.toString()).isZero();
        assertThat(synced.out()).doesNotContain("THE ARCHIVES HAVE"); // mytool's helper and libfoo1 came along
    }
}
