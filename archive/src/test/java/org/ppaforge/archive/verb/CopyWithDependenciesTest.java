package org.ppaforge.archive.verb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ppaforge.archive.ArchiveSettings;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.debian.control.Deb822Reader;
import org.ppaforge.debian.deb.DebWriter;

/**
 * Promotion with dependencies: copying a source takes along every source of the origin whose binaries its binaries
 * need (Depends, Pre-Depends, through Provides and alternatives) and that the target does not satisfy at a high
 * enough version, recursively, each with the relation that pulled it in; a dry run only says so. What nothing in the
 * origin provides (the distribution's libc6) is left alone; a cycle ends.
 */
class CopyWithDependenciesTest {

    /** How the archive is opened: the embedded default here; {@link CopyWithDependenciesOnSharedStoresTest} runs every test on PostgreSQL and S3. */
    ArchiveSettings settings(Path data) {
        return ArchiveSettings.of(data);
    }

    @TempDir
    Path data;

    @TempDir
    Path work;

    Ppaforge ppa;

    @BeforeEach
    void open() {
        ppa = Ppaforge.open(settings(data));
        for (String a : List.of("trunk", "release", "backports", "stable")) {
            ppa.createArchive()
                    .name(a)
                    .series(List.of("noble"))
                    .architectures(List.of("amd64"))
                    .call();
        }
    }

    @AfterEach
    void close() {
        ppa.close();
    }

    private Path deb(String pkg, String source, String version, String... fields) throws Exception {
        StringBuilder control = new StringBuilder("Package: " + pkg + "\nSource: " + source + "\nVersion: " + version
                + "\nArchitecture: all\nMaintainer: T <t@example.org>\n");
        for (String f : fields) {
            control.append(f).append('\n');
        }
        control.append("Description: ").append(pkg).append("\n test\n");
        Path f = work.resolve(pkg + "_" + version + "_all.deb");
        Files.write(
                f,
                new DebWriter(Deb822Reader.parseSingle(control.toString(), "test"))
                        .file("usr/share/doc/" + pkg + "/README", pkg.getBytes(StandardCharsets.UTF_8))
                        .toBytes());
        return f;
    }

    private void include(String archive, Path... debs) throws Exception {
        ppa.include().archive(archive).series("noble").files(List.of(debs)).call();
    }

    private List<String> published(String archive) {
        List<String> out = new ArrayList<>();
        ppa.list().archive(archive).call().forEach(e -> out.add(e.source() + " " + e.version()));
        return out;
    }

    @Test
    void aSyncWithDependenciesSaysWhatTheTargetStillLacks() throws Exception {
        include(
                "trunk",
                deb("mytool", "mytool", "1.0", "Depends: libfoo1 (>= 1.2), helper (>= 0.5)"),
                deb("libfoo1", "libfoo", "1.2-1"));
        include("backports", deb("helper", "helper", "0.4")); // older than mytool needs

        Sync.Result dry = ppa.sync()
                .from("trunk")
                .to("release")
                .dryRun(true)
                .withDependencies(true)
                .satisfiedBy(List.of("backports"))
                .call();
        // libfoo comes along with the sync; helper (>= 0.5) is nowhere: named, with what there is.
        assertThat(dry.unsatisfied())
                .extracting(Skew.Unsatisfied::binary, Skew.Unsatisfied::relation)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("mytool", "helper (>= 0.5)"));
        assertThat(published("release")).isEmpty();

        include("backports", deb("helper", "helper", "0.5"));
        Sync.Result done = ppa.sync()
                .from("trunk")
                .to("release")
                .withDependencies(true)
                .satisfiedBy(List.of("backports"))
                .call();
        assertThat(done.unsatisfied()).isEmpty();
        assertThat(published("release")).containsExactlyInAnyOrder("mytool 1.0", "libfoo 1.2-1");
        // Counted alone, release has no helper at all: like 'skew --dependencies', that is left to the distribution.
        assertThat(ppa.sync()
                        .from("trunk")
                        .to("release")
                        .withDependencies(true)
                        .call()
                        .unsatisfied())
                .isEmpty();
    }

    @Test
    void aCopyTakesAlongWhatItsBinariesNeedAndTheTargetLacks() throws Exception {
        include(
                "trunk",
                deb(
                        "mytool",
                        "mytool",
                        "1.0",
                        "Depends: libfoo1 (>= 1.2), bar-api | libbaz, libc6 (>= 2.34)",
                        "Pre-Depends: helper"),
                deb("libfoo1", "libfoo", "1.2-1", "Depends: libfoo-data (= 1.2-1)"),
                deb("libfoo-data", "libfoo", "1.2-1"),
                deb("libbar", "libbar", "2.0", "Provides: bar-api", "Depends: mytool"), // a cycle back to mytool
                deb("helper", "helper", "0.5"),
                deb("unrelated", "unrelated", "9.9"));
        include("release", deb("libfoo1", "libfoo", "1.0-1")); // too old for mytool's (>= 1.2)
        include("backports", deb("helper", "helper", "0.4")); // the target's dependency archive has helper

        Copy.Result plan = ppa.copy()
                .source("mytool")
                .from("trunk")
                .to("release")
                .withBinaries(true)
                .withDependencies(true)
                .satisfiedBy(List.of("backports"))
                .dryRun(true)
                .call();
        assertThat(plan.pulled())
                .extracting(Copy.Pulled::source, Copy.Pulled::version, Copy.Pulled::reason)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("libfoo", "1.2-1", "mytool Depends: libfoo1 (>= 1.2)"),
                        org.assertj.core.groups.Tuple.tuple("libbar", "2.0", "mytool Depends: bar-api | libbaz"));
        assertThat(plan.copied()).extracting(Copy.Copied::outcome).containsOnly("planned");
        assertThat(plan.copied()).last().extracting(Copy.Copied::source).isEqualTo("mytool");
        assertThat(published("release")).containsExactly("libfoo 1.0-1"); // a dry run changes nothing

        Copy.Result done = ppa.copy()
                .source("mytool")
                .from("trunk")
                .to("release")
                .withBinaries(true)
                .withDependencies(true)
                .satisfiedBy(List.of("backports"))
                .call();
        assertThat(done.copied())
                .extracting(Copy.Copied::source)
                .containsExactlyInAnyOrder("libfoo", "libbar", "mytool");
        assertThat(published("release")).containsExactlyInAnyOrder("libfoo 1.2-1", "libbar 2.0", "mytool 1.0");
        // Into an archive without helper and with no dependency archive, helper (Pre-Depends) is taken along too;
        // without the option, nothing is.
        Copy.Result again = ppa.copy()
                .source("mytool")
                .from("trunk")
                .to("stable")
                .withBinaries(true)
                .withDependencies(true)
                .dryRun(true)
                .call();
        assertThat(again.pulled()).extracting(Copy.Pulled::source).contains("helper", "libfoo", "libbar");
        assertThat(again.pulled())
                .filteredOn(p -> p.source().equals("helper"))
                .singleElement()
                .satisfies(p -> assertThat(p.reason()).isEqualTo("mytool Pre-Depends: helper"));
        assertThat(ppa.copy()
                        .source("mytool")
                        .from("trunk")
                        .to("stable")
                        .withBinaries(true)
                        .dryRun(true)
                        .call()
                        .pulled())
                .isEmpty();
    }

    /** ppa skew --dependencies: what a set of archives names but cannot satisfy (the distribution's packages aside). */
    @Test
    void skewReportsDependenciesTheSetCannotSatisfy() throws Exception {
        include(
                "trunk",
                deb("mytool", "mytool", "1.0", "Depends: libfoo1 (>= 1.2), libc6 (>= 2.34)"),
                deb("libfoo1", "libfoo", "1.2-1"));
        // mytool promoted without its dependency: release runs it against the libfoo1 it had.
        include("release", deb("libfoo1", "libfoo", "1.0-1"));
        ppa.copy()
                .source("mytool")
                .from("trunk")
                .to("release")
                .withBinaries(true)
                .call();

        Skew.Result r = ppa.skew()
                .archives(List.of("release", "backports"))
                .dependencies(true)
                .call();
        assertThat(r.unsatisfied()).singleElement().satisfies(u -> {
            assertThat(u.archive()).isEqualTo("release");
            assertThat(u.binary()).isEqualTo("mytool");
            assertThat(u.field()).isEqualTo("Depends");
            assertThat(u.relation()).isEqualTo("libfoo1 (>= 1.2)");
            assertThat(u.has()).isEqualTo("libfoo1 1.0-1");
        });
        assertThat(r.hasSkew()).isTrue();
        // With trunk in the set, 1.2-1 is there: satisfied (and the version skew of libfoo is reported instead).
        Skew.Result withTrunk = ppa.skew()
                .archives(List.of("release", "trunk"))
                .dependencies(true)
                .call();
        assertThat(withTrunk.unsatisfied()).isEmpty();
        assertThat(withTrunk.rows()).extracting(Skew.Row::source).containsExactly("libfoo");
        // Without the option, only version skew: none between release and backports.
        assertThat(ppa.skew().archives(List.of("release", "backports")).call().hasSkew())
                .isFalse();
    }

    /** With build-dependencies: what the copied source needs to build comes along too (for this archive's arches). */
    @Test
    void withBuildDependenciesWhatTheSourceNeedsToBuildComesAlong() throws Exception {
        Path tree = Files.createDirectories(work.resolve("tool-1.0/debian/source"));
        Files.writeString(tree.resolve("format"), "3.0 (native)\n");
        Path debian = tree.getParent();
        Files.writeString(debian.resolve("control"), """
                Source: tool
                Maintainer: T <t@example.org>
                Build-Depends: libfoo-dev (>= 1.2) [amd64], only-on-i386 [i386]
                Build-Depends-Indep: docs-tool

                Package: tool
                Architecture: all
                Description: tool
                 test
                """);
        Files.writeString(debian.resolve("changelog"), """
                tool (1.0) unstable; urgency=medium

                  * Test.

                 -- T <t@example.org>  Tue, 01 Dec 2026 10:00:00 +0000
                """);
        Files.writeString(debian.resolve("rules"), "#!/usr/bin/make -f\n%:\n\tdh $@\n");
        org.ppaforge.debian.testing.Tools.run(work, "dpkg-source", "-b", "tool-1.0")
                .orFail("dpkg-source -b");
        include("trunk", deb("libfoo-dev", "libfoo", "1.2-1"), deb("docs-tool", "docs", "3.0"));
        ppa.include()
                .archive("trunk")
                .series("noble")
                .files(List.of(work.resolve("tool_1.0.dsc")))
                .call();

        Copy.Result plan = ppa.copy()
                .source("tool")
                .from("trunk")
                .to("stable")
                .withDependencies(true)
                .withBuildDependencies(true)
                .dryRun(true)
                .call();
        assertThat(plan.pulled())
                .extracting(Copy.Pulled::source, Copy.Pulled::reason)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(
                                "libfoo", "tool (to build) Build-Depends: libfoo-dev (>= 1.2) [amd64]"),
                        org.assertj.core.groups.Tuple.tuple("docs", "tool (to build) Build-Depends-Indep: docs-tool"));
        assertThat(ppa.copy()
                        .source("tool")
                        .from("trunk")
                        .to("stable")
                        .withDependencies(true)
                        .dryRun(true)
                        .call()
                        .pulled())
                .as("without build-dependencies: the binary tool needs nothing")
                .isEmpty();
        assertThat(org.ppaforge.debian.relation.PackageSet.appliesTo(
                        org.ppaforge.debian.relation.Relations.parse("x [!amd64]")
                                .groups()
                                .get(0)
                                .get(0),
                        List.of("amd64")))
                .isFalse();
        assertThat(org.ppaforge.debian.relation.PackageSet.appliesTo(
                        org.ppaforge.debian.relation.Relations.parse("x [!i386]")
                                .groups()
                                .get(0)
                                .get(0),
                        List.of("amd64")))
                .isTrue();
    }
}
