package org.ppaforge.archive.verb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.assertj.core.api.Assertions;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ppaforge.archive.ArchiveException;
import org.ppaforge.archive.ArchiveSettings;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.debian.testing.RealDebs;
import org.ppaforge.debian.testing.SourcePackages;

/** The verbs against a real SQLite file, a real pool directory and packages built by dpkg-deb and dpkg-source. */
class VerbsTest {

    /** How the archive is opened: the embedded default here; {@link VerbsOnSharedStoresTest} runs every test on PostgreSQL and S3. */
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
        for (String name : List.of("trunk", "milestone-proposed", "release")) {
            ppa.createArchive()
                    .name(name)
                    .series(List.of("jammy", "noble"))
                    .architectures(List.of("amd64", "arm64"))
                    .call();
        }
    }

    @AfterEach
    void close() {
        ppa.close();
    }

    private Path deb(String name, String version, String arch) throws IOException {
        return RealDebs.build(work, name, version, arch, "xz", null, "");
    }

    private Path deb(String name, String source, String version, String arch, String payload) throws IOException {
        return RealDebs.build(work, name, version, arch, "gzip", source, payload);
    }

    private Include.Result include(String archive, String series, Path... files) throws IOException {
        return ppa.include()
                .archive(archive)
                .series(series)
                .files(List.of(files))
                .call();
    }

    private Map<String, String> published(String archive, String series) {
        return ppa.list().archive(archive).series(series).call().stream()
                .filter(e -> !e.superseded())
                .collect(Collectors.toMap(ListPackages.Entry::source, ListPackages.Entry::version));
    }

    private long poolFiles() throws IOException {
        long[] n = {0};
        ppa.blobs().forEach(b -> n[0]++);
        return n[0];
    }

    /**
     * An archive series' Contents is bounded in all, not only per .deb: past the bound an include is refused, naming it,
     * and nothing changes; the other series are not counted. (On the old code many path-heavy packages made every
     * publish of the archive run out of memory.)
     */
    @Test
    void anArchiveSeriesContentsIsBoundedInAll() throws Exception {
        include("trunk", "noble", deb("one", "1.0", "amd64"));
        long each = ppa.metadata()
                .read(tx -> tx.contentsBytes(tx.archive("trunk").orElseThrow().id(), "noble"));
        assertThat(each).isPositive();
        ppa.close(); // the bound is fixed when the core opens
        ppa = Ppaforge.open(settings(data).withMaxContentsBytes(each * 2 + each / 2));
        include("trunk", "noble", deb("two", "1.0", "amd64"));
        String before = Files.readString(data.resolve("public/trunk/dists/noble/InRelease"));
        Assertions.assertThatThrownBy(() -> include("trunk", "noble", deb("three", "1.0", "amd64")))
                .hasMessageContaining("trunk/noble's Contents would hold")
                .hasMessageContaining("an archive series may publish");
        assertThat(published("trunk", "noble")).containsOnlyKeys("one", "two");
        assertThat(Files.readString(data.resolve("public/trunk/dists/noble/InRelease")))
                .isEqualTo(before);
        include("trunk", "jammy", deb("three", "1.0", "amd64")); // another series: its own Contents
        // A newer version replaces its old one's paths in the count.
        include("trunk", "noble", deb("two", "1.1", "amd64"));
        assertThat(published("trunk", "noble")).containsEntry("two", "1.1");
        // Copying binaries in is held to the same bound: refused whole, nothing copied.
        include("release", "jammy", deb("four", "1.0", "amd64"));
        Assertions.assertThatThrownBy(() -> ppa.copy()
                        .sources(List.of("four"))
                        .from("release")
                        .to("trunk")
                        .series("jammy")
                        .toSeries("noble")
                        .withBinaries(true)
                        .call())
                .hasMessageContaining("nothing was copied");
        assertThat(published("trunk", "noble")).doesNotContainKey("four");
    }

    @Test
    void createArchiveValidatesAndRefusesDuplicates() {
        assertThat(ppa.listArchives().call())
                .extracting(s -> s.archive().name())
                .containsExactly("milestone-proposed", "release", "trunk");
        assertThatThrownBy(() -> ppa.createArchive()
                        .name("trunk")
                        .series(List.of("noble"))
                        .architectures(List.of("amd64"))
                        .call())
                .isInstanceOf(ArchiveException.class)
                .hasMessage("archive 'trunk' already exists");
        assertThatThrownBy(() -> ppa.createArchive()
                        .name("Bad Name")
                        .series(List.of("noble"))
                        .architectures(List.of("amd64"))
                        .call())
                .hasMessageContaining("invalid archive name 'Bad Name'");
        assertThatThrownBy(() -> ppa.createArchive()
                        .name("x")
                        .series(List.of("noble"))
                        .architectures(List.of("all"))
                        .call())
                .hasMessageContaining("'all' is not a build architecture");
        assertThatThrownBy(() -> ppa.list().archive("nope").call())
                .hasMessageContaining("archive 'nope' does not exist (archives: milestone-proposed, release, trunk)");
    }

    @Test
    void includeDebsPublishesSupersedesAndRefusesOlder() throws Exception {
        Include.Result r = include(
                "trunk",
                "noble",
                deb("hello", "1.0-1", "amd64"),
                deb("hello", "1.0-1", "arm64"),
                deb("hello-data", "hello", "1.0-1", "all", ""));
        assertThat(r.publishedSources()).containsExactly("hello 1.0-1");
        assertThat(r.publishedBinaries()).hasSize(3);
        List<ListPackages.Entry> list =
                ppa.list().archive("trunk").series("noble").call();
        assertThat(list).singleElement().satisfies(e -> {
            assertThat(e.version()).isEqualTo("1.0-1");
            assertThat(e.binaries().keySet()).containsExactly("all", "amd64", "arm64");
            assertThat(e.hasSource()).isFalse();
        });
        assertThat(published("trunk", "jammy")).isEmpty();

        Path rebuilt = RealDebs.build(work, "hello", "1.0-1", "amd64", "xz", null, "rebuilt with other content");
        assertThatThrownBy(() -> include("trunk", "noble", rebuilt))
                .isInstanceOf(ArchiveException.class)
                .hasMessageContaining(
                        "file 'hello_1.0-1_amd64.deb' already exists in archive 'trunk' with different content")
                .extracting(e -> ((ArchiveException) e).kind())
                .isEqualTo(ArchiveException.Kind.REFUSED);

        Include.Result newer = include("trunk", "noble", deb("hello", "1.1-1", "amd64"));
        assertThat(newer.superseded()).contains("hello 1.0-1");
        assertThat(published("trunk", "noble")).containsEntry("hello", "1.1-1");
        // Domination per binary name and architecture: 1.0-1's arm64 and all binaries stay until newer ones replace
        // them.
        assertThat(ppa.list().archive("trunk").series("noble").call())
                .extracting(ListPackages.Entry::version, e -> e.binaries().keySet(), ListPackages.Entry::superseded)
                .containsExactly(
                        Tuple.tuple("1.0-1", Set.of("all", "arm64"), true),
                        Tuple.tuple("1.1-1", Set.of("amd64"), false));
        assertThat(newer.superseded()).containsExactly("hello 1.0-1", "hello 1.0-1 (amd64)");

        assertThatThrownBy(() -> include("trunk", "noble", deb("hello", "1.0-2", "amd64")))
                .hasMessage(
                        "hello 1.0-2 is older than 1.1-1 already published in trunk/noble (use --allow-downgrade to replace it)");
        ppa.include()
                .archive("trunk")
                .series("noble")
                .files(List.of(deb("hello", "1.0-2", "amd64")))
                .allowDowngrade(true)
                .call();
        assertThat(published("trunk", "noble")).containsEntry("hello", "1.0-2");

        List<History.Entry> history =
                ppa.history().archive("trunk").source("hello").call();
        assertThat(history)
                .extracting(History.Entry::version, History.Entry::status)
                .containsExactly(
                        Tuple.tuple("1.0-1", "superseded"),
                        Tuple.tuple("1.1-1", "superseded"),
                        Tuple.tuple("1.0-2", "published"));
        assertThat(history.get(0).superseded()).isNotNull();
    }

    @Test
    void includingTheSameFileAgainChangesNothing() throws Exception {
        Path d = deb("hello", "1.0-1", "amd64");
        include("trunk", "noble", d);
        Include.Result again = include("trunk", "noble", d);
        assertThat(again.publishedBinaries()).isEmpty();
        assertThat(again.unchanged()).containsExactly("hello 1.0-1 (amd64)");
        assertThat(ppa.history().archive("trunk").source("hello").call()).hasSize(1);
    }

    @Test
    void badInputChangesNothing() throws Exception {
        Path good = deb("hello", "1.0-1", "amd64");
        Path corrupt = work.resolve("broken_1.0_amd64.deb");
        byte[] bytes = Files.readAllBytes(deb("broken", "1.0", "amd64"));
        Files.write(corrupt, Arrays.copyOf(bytes, bytes.length / 2));
        assertThatThrownBy(() -> include("trunk", "noble", good, corrupt))
                .isInstanceOf(ArchiveException.class)
                .hasMessageContaining(corrupt.toString())
                .hasMessageContaining("truncated");
        assertThatThrownBy(() -> include("trunk", "noble", good, work.resolve("missing.deb")))
                .hasMessageContaining("missing.deb: no such file");
        assertThatThrownBy(() -> include("trunk", "noble", deb("s390-only", "1.0", "s390x")))
                .hasMessageContaining("architecture 's390x' is not built by archive 'trunk'");
        assertThatThrownBy(() -> include("trunk", "focal", good))
                .hasMessageContaining("does not publish for series 'focal'");
        Path notes = Files.writeString(work.resolve("notes.txt"), "x");
        assertThatThrownBy(() -> include("trunk", "noble", notes)).hasMessageContaining("unsupported file type");
        assertThat(published("trunk", "noble")).isEmpty();
        Map<String, String> poolNames = ppa.metadata()
                .read(tx -> tx.poolNames(tx.archive("trunk").orElseThrow().id()));
        assertThat(poolNames).isEmpty();
    }

    @Test
    void includesSourcePackagesFromDscAndChanges() throws Exception {
        Path changes = SourcePackages.buildSourceUpload(work, "frobnicate", "1.2", "1", "noble");
        Include.Result r = include("trunk", "noble", changes);
        assertThat(r.publishedSources()).containsExactly("frobnicate 1.2-1");
        assertThat(ppa.list().archive("trunk").series("noble").call().get(0).hasSource())
                .isTrue();

        // Its binaries arrive later (a build), and attach to the published source.
        include("trunk", "noble", deb("frobnicate", "frobnicate", "1.2-1", "amd64", ""));
        assertThat(ppa.list().archive("trunk").series("noble").call().get(0).binaries())
                .containsKey("amd64");

        // The same .dsc into another archive: shared pool files, no new bytes.
        long before = poolFiles();
        include("release", "noble", work.resolve("frobnicate_1.2-1.dsc"));
        assertThat(poolFiles()).isEqualTo(before);

        // A tampered tarball: refused, naming the file and the checksum.
        Path w2 = Files.createDirectory(work.resolve("second"));
        Path c2 = SourcePackages.buildSourceUpload(w2, "frobnicate", "1.3", "1", "noble");
        Files.writeString(w2.resolve("frobnicate_1.3.orig.tar.gz"), "tampered");
        assertThatThrownBy(() -> include("trunk", "noble", c2))
                .isInstanceOf(ArchiveException.class)
                .hasMessageContaining("frobnicate_1.3.orig.tar.gz: size 8 differs from the listed");
        assertThat(published("trunk", "noble")).containsEntry("frobnicate", "1.2-1");

        // An older source: refused before any of its files reach the pool (new tarballs, new .dsc).
        Path w3 = Files.createDirectory(work.resolve("third"));
        Path older = SourcePackages.buildSourceUpload(w3, "frobnicate", "1.1", "1", "noble");
        long pool = poolFiles();
        assertThatThrownBy(() -> include("trunk", "noble", older))
                .isInstanceOf(OlderVersion.class)
                .hasMessage(
                        "frobnicate 1.1-1 is older than 1.2-1 already published in trunk/noble (use --allow-downgrade to replace it)");
        assertThat(poolFiles()).isEqualTo(pool);
        assertThat(published("trunk", "noble")).containsEntry("frobnicate", "1.2-1");
    }

    @Test
    void copyFollowsTheRules() throws Exception {
        Path changes = SourcePackages.buildSourceUpload(work, "frobnicate", "1.2", "1", "noble");
        include("trunk", "noble", changes);
        include(
                "trunk",
                "noble",
                deb("frobnicate", "frobnicate", "1.2-1", "amd64", ""),
                deb("frobnicate-doc", "frobnicate", "1.2-1", "all", ""),
                deb("lonely", "2.0", "amd64"));
        long before = poolFiles();

        // Source only.
        Copy.Result r = ppa.copy()
                .source("frobnicate")
                .from("trunk")
                .to("milestone-proposed")
                .series("noble")
                .call();
        assertThat(r.copied())
                .singleElement()
                .satisfies(c -> assertThat(c.outcome()).isEqualTo("copied"));
        assertThat(ppa.list()
                        .archive("milestone-proposed")
                        .series("noble")
                        .call()
                        .get(0)
                        .binaries())
                .isEmpty();
        // Then with binaries: the same source gains them.
        ppa.copy()
                .source("frobnicate")
                .from("trunk")
                .to("milestone-proposed")
                .series("noble")
                .withBinaries(true)
                .call();
        assertThat(ppa.list()
                        .archive("milestone-proposed")
                        .series("noble")
                        .call()
                        .get(0)
                        .binaries()
                        .keySet())
                .containsExactly("all", "amd64");
        // To another series of another archive, with binaries.
        ppa.copy()
                .source("frobnicate")
                .source("lonely")
                .from("trunk")
                .to("release")
                .series("noble")
                .toSeries("jammy")
                .withBinaries(true)
                .call();
        assertThat(published("release", "jammy")).containsOnlyKeys("frobnicate", "lonely");
        assertThat(poolFiles()).as("a copy moves no bytes").isEqualTo(before);

        // A binary-only source cannot be copied without binaries.
        assertThatThrownBy(() -> ppa.copy()
                        .source("lonely")
                        .from("trunk")
                        .to("milestone-proposed")
                        .series("noble")
                        .call())
                .hasMessageContaining("lonely 2.0 has no source package (.dsc), only binaries");

        // Older than the target: refused.
        include("milestone-proposed", "noble", deb("lonely", "3.0", "amd64"));
        assertThatThrownBy(() -> ppa.copy()
                        .source("lonely")
                        .from("trunk")
                        .to("milestone-proposed")
                        .series("noble")
                        .withBinaries(true)
                        .call())
                .hasMessage(
                        "cannot copy lonely 2.0: it is older than 3.0 published in milestone-proposed/noble (allow downgrades to replace it)");

        // A different source with the same version (another .dsc): refused.
        Path elsewhere = Files.createDirectory(work.resolve("elsewhere"));
        Files.createDirectories(elsewhere.resolve("other-1.0"));
        Files.writeString(elsewhere.resolve("other-1.0/extra.txt"), "differs");
        include("release", "noble", SourcePackages.buildSourceUpload(elsewhere, "other", "1.0", "1", "noble"));
        Path here = Files.createDirectory(work.resolve("here"));
        include("trunk", "noble", SourcePackages.buildSourceUpload(here, "other", "1.0", "1", "noble"));
        assertThatThrownBy(() -> ppa.copy()
                        .source("other")
                        .from("trunk")
                        .to("release")
                        .series("noble")
                        .call())
                .hasMessage(
                        "a different source other 1.0-1 is already published in release/noble (same version, other content): "
                                + "refusing to copy other 1.0-1");

        // Several sources are one transaction: the failing second leaves the first uncopied.
        assertThatThrownBy(() -> ppa.copy()
                        .source("frobnicate")
                        .source("other")
                        .from("trunk")
                        .to("release")
                        .series("noble")
                        .withBinaries(true)
                        .call())
                .isInstanceOf(ArchiveException.class);
        assertThat(published("release", "noble")).doesNotContainKey("frobnicate");

        assertThatThrownBy(() -> ppa.copy()
                        .source("frobnicate=9.9")
                        .from("trunk")
                        .to("release")
                        .series("noble")
                        .call())
                .hasMessage("frobnicate 9.9 is not in trunk/noble (published there: 1.2-1)");
    }

    @Test
    void copyWithBinariesMustBringEveryBinaryAlreadyPublished() throws Exception {
        include("trunk", "noble", deb("multi", "multi", "1.0", "amd64", ""));
        ppa.copy()
                .source("multi")
                .from("trunk")
                .to("release")
                .series("noble")
                .withBinaries(true)
                .call();
        // release gains an arm64 build of the same source that trunk lacks
        ppa.copy()
                .source("multi")
                .from("trunk")
                .to("milestone-proposed")
                .series("noble")
                .withBinaries(true)
                .call();
        include("release", "noble", deb("multi", "multi", "1.0", "arm64", "release build"));
        assertThatThrownBy(() -> ppa.copy()
                        .source("multi")
                        .from("milestone-proposed")
                        .to("release")
                        .series("noble")
                        .withBinaries(true)
                        .call())
                .hasMessageContaining("already publishes binaries the copy does not bring: multi (arm64)");
    }

    @Test
    void skewShowsDifferentVersionsAcrossArchives() throws Exception {
        include("trunk", "noble", deb("aa", "2.0", "amd64"), deb("bb", "1.0", "amd64"), deb("cc", "1.0", "amd64"));
        include("milestone-proposed", "noble", deb("aa", "1.5", "amd64"), deb("bb", "1.00", "amd64"));
        include("release", "noble", deb("aa", "1.0", "amd64"), deb("dd", "1.0", "amd64"));
        Skew.Result r = ppa.skew()
                .archives(List.of("trunk", "milestone-proposed", "release"))
                .series("noble")
                .call();
        assertThat(r.hasSkew()).isTrue();
        assertThat(r.rows()).singleElement().satisfies(row -> {
            assertThat(row.source()).isEqualTo("aa");
            assertThat(row.versions())
                    .containsExactly(
                            Map.entry("trunk", "2.0"),
                            Map.entry("milestone-proposed", "1.5"),
                            Map.entry("release", "1.0"));
            assertThat(row.highest()).isEqualTo("2.0");
        });
        assertThat(ppa.skew()
                        .archives(List.of("trunk", "release"))
                        .series("jammy")
                        .call()
                        .hasSkew())
                .isFalse();
    }

    @Test
    void syncPlansAppliesAndRefusesDowngrades() throws Exception {
        include(
                "trunk",
                "noble",
                deb("new", "1.0", "amd64"),
                deb("up", "2.0", "amd64"),
                deb("same", "1.0", "amd64"),
                deb("down", "1.0", "amd64"));
        ppa.copy()
                .source("same")
                .from("trunk")
                .to("release")
                .series("noble")
                .withBinaries(true)
                .call();
        include(
                "release",
                "noble",
                deb("up", "1.0", "amd64"),
                deb("down", "2.0", "amd64"),
                deb("gone", "1.0", "amd64"));

        Sync.Result plan = ppa.sync()
                .from("trunk")
                .to("release")
                .series("noble")
                .dryRun(true)
                .call();
        assertThat(plan.applied()).isFalse();
        assertThat(plan.plan())
                .extracting(Sync.Step::source, Sync.Step::action)
                .containsExactlyInAnyOrder(
                        Tuple.tuple("new", Sync.Action.COPY),
                        Tuple.tuple("up", Sync.Action.UPGRADE),
                        Tuple.tuple("down", Sync.Action.DOWNGRADE),
                        Tuple.tuple("gone", Sync.Action.DELETE));
        assertThat(published("release", "noble")).containsOnlyKeys("same", "up", "down", "gone");

        assertThatThrownBy(() ->
                        ppa.sync().from("trunk").to("release").series("noble").call())
                .hasMessageContaining("would downgrade 1 package(s) (down 2.0 -> 1.0)");
        assertThat(published("release", "noble")).containsEntry("up", "1.0");

        ppa.sync()
                .from("trunk")
                .to("release")
                .series("noble")
                .allowDowngrade(true)
                .call();
        assertThat(published("release", "noble")).isEqualTo(published("trunk", "noble"));
        assertThat(ppa.history().archive("release").source("gone").call())
                .singleElement()
                .satisfies(e -> assertThat(e.deletedReason()).isEqualTo("sync from trunk: no longer published there"));
        assertThat(ppa.sync().from("trunk").to("release").series("noble").call().plan())
                .isEmpty();
    }

    @Test
    void removeRecordsWhoWhenAndWhy() throws Exception {
        include("trunk", "noble", deb("hello", "1.0-1", "amd64"));
        assertThatThrownBy(() -> ppa.remove()
                        .archive("trunk")
                        .series("noble")
                        .source("hello")
                        .call())
                .hasMessageContaining("needs a reason");
        assertThatThrownBy(() -> ppa.remove()
                        .archive("trunk")
                        .series("noble")
                        .source("hello=2.0")
                        .reason("x")
                        .call())
                .hasMessageContaining("hello 2.0 is not in trunk/noble (published there: 1.0-1)");
        Remove.Result r = ppa.remove()
                .archive("trunk")
                .series("noble")
                .source("hello=1.0-1")
                .reason("broken build")
                .call();
        assertThat(r.binaries()).isEqualTo(1);
        assertThat(published("trunk", "noble")).isEmpty();
        History.Entry e = ppa.history().archive("trunk").source("hello").call().get(0);
        assertThat(e.status()).isEqualTo("deleted");
        assertThat(e.deletedReason()).isEqualTo("broken build");
        assertThat(e.deletedBy()).isEqualTo(System.getProperty("user.name"));
        assertThat(e.binaries()).singleElement().asString().endsWith("(deleted)");
    }
}
