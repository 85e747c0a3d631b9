package org.ppaforge.archive.verb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ppaforge.archive.ArchiveSettings;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.archive.model.BinaryPublication;
import org.ppaforge.debian.deb.DebPackage;
import org.ppaforge.debian.deb.DebReader;
import org.ppaforge.debian.testing.RealDebs;

/**
 * Superseding per binary name and architecture (Launchpad's and dak's domination): a newer source version
 * replaces only the binaries it brings, so an architecture it is not built for yet keeps the old ones.
 */
class DominationTest {

    /** How the archive is opened: the embedded default here; {@link DominationOnSharedStoresTest} runs every test on PostgreSQL and S3. */
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
        ppa.createArchive()
                .name("trunk")
                .series(List.of("noble"))
                .architectures(List.of("amd64", "arm64"))
                .call();
    }

    @AfterEach
    void close() {
        ppa.close();
    }

    private Path deb(String name, String source, String version, String arch) throws IOException {
        Path dir = Files.createDirectories(work.resolve(version + "-" + arch));
        return RealDebs.build(dir, name, version, arch, "gzip", source, "");
    }

    private Map<String, String> publishedBinaries() {
        Map<String, String> out = new HashMap<>();
        ppa.metadata()
                .read(tx ->
                        tx.publishedBinaries(tx.archive("trunk").orElseThrow().id(), "noble"))
                .forEach(b ->
                        out.put(b.name() + "/" + b.architecture(), b.version().toString()));
        return out;
    }

    @Test
    void aNewerVersionInTheSameCallKeepsTheOlderVersionsOtherBinaries() throws Exception {
        // As an apt cache holds them: libssl-dev only of the older openssl, libssl3 of both.
        Include.Result r = ppa.include()
                .archive("trunk")
                .series("noble")
                .files(List.of(
                        deb("libssl-dev", "openssl", "3.0.20-1", "amd64"),
                        deb("libssl3", "openssl", "3.0.20-1", "amd64"),
                        deb("libssl3", "openssl", "3.0.21-1", "amd64")))
                .call();
        assertThat(publishedBinaries())
                .containsOnly(Map.entry("libssl-dev/amd64", "3.0.20-1"), Map.entry("libssl3/amd64", "3.0.21-1"));
        // The summary counts what is published at the end: both, not three.
        assertThat(r.publishedBinaries())
                .containsExactlyInAnyOrder("libssl-dev 3.0.20-1 (amd64)", "libssl3 3.0.21-1 (amd64)");
        assertThat(ppa.list().archive("trunk").call())
                .extracting(ListPackages.Entry::version, ListPackages.Entry::superseded)
                .containsExactly(tuple("3.0.20-1", true), tuple("3.0.21-1", false));
    }

    @Test
    void anArchitectureNotBuiltYetKeepsItsBinariesAndAllAndAnyReplaceEachOther() throws Exception {
        ppa.include()
                .archive("trunk")
                .series("noble")
                .files(List.of(
                        deb("tool", "tool", "1.0", "amd64"),
                        deb("tool", "tool", "1.0", "arm64"),
                        deb("tool-data", "tool", "1.0", "all")))
                .call();
        Include.Result r = ppa.include()
                .archive("trunk")
                .series("noble")
                .files(List.of(deb("tool", "tool", "1.1", "amd64"), deb("tool-data", "tool", "1.1", "amd64")))
                .call();
        assertThat(r.superseded()).containsExactlyInAnyOrder("tool 1.0", "tool 1.0 (amd64)", "tool-data 1.0 (all)");
        assertThat(publishedBinaries())
                .containsOnly(
                        Map.entry("tool/amd64", "1.1"),
                        Map.entry("tool/arm64", "1.0"),
                        Map.entry("tool-data/amd64", "1.1"));
        // arm64 is built later: now 1.0 has nothing left, and the list no longer shows it.
        ppa.include()
                .archive("trunk")
                .series("noble")
                .files(List.of(deb("tool", "tool", "1.1", "arm64")))
                .call();
        assertThat(publishedBinaries())
                .containsOnly(
                        Map.entry("tool/amd64", "1.1"),
                        Map.entry("tool/arm64", "1.1"),
                        Map.entry("tool-data/amd64", "1.1"));
        assertThat(ppa.list().archive("trunk").call())
                .extracting(ListPackages.Entry::version)
                .containsExactly("1.1");
        // An all binary replaces the architecture-specific ones of its name.
        ppa.include()
                .archive("trunk")
                .series("noble")
                .files(List.of(deb("tool-data", "tool", "1.2", "all")))
                .call();
        assertThat(publishedBinaries()).containsEntry("tool-data/all", "1.2").doesNotContainKey("tool-data/amd64");
        // The published tree agrees: one tool-data in the arm64 index.
        String packages = Files.readString(ppa.publishRoot().resolve("trunk/dists/noble/main/binary-arm64/Packages"));
        assertThat(packages.split("Package: tool-data\n", -1)).hasSize(2);
    }

    @Test
    void leftOverBinariesAreRemovedOnPurpose() throws Exception {
        ppa.include()
                .archive("trunk")
                .series("noble")
                .files(List.of(deb("old-tool", "tool", "1.0", "amd64"), deb("tool", "tool", "1.0", "amd64")))
                .call();
        ppa.include()
                .archive("trunk")
                .series("noble")
                .files(List.of(deb("tool", "tool", "1.1", "amd64")))
                .call();
        assertThat(publishedBinaries()).containsEntry("old-tool/amd64", "1.0");
        assertThatThrownBy(() -> ppa.remove()
                        .archive("trunk")
                        .series("noble")
                        .source("tool=0.9")
                        .reason("x")
                        .call())
                .hasMessageContaining("tool 0.9 is not in trunk/noble");
        Remove.Result removed = ppa.remove()
                .archive("trunk")
                .series("noble")
                .source("tool=1.0")
                .reason("dropped binary")
                .call();
        assertThat(removed.binaries()).isEqualTo(1);
        assertThat(publishedBinaries()).containsOnly(Map.entry("tool/amd64", "1.1"));
        assertThatThrownBy(() -> ppa.remove()
                        .archive("trunk")
                        .series("noble")
                        .source("tool=1.0")
                        .reason("again")
                        .call())
                .hasMessageContaining("tool 1.0 is not published in trunk/noble (it is superseded)");
    }

    private static String field(Path deb, int i) {
        return deb.getFileName().toString().split("_")[i];
    }

    /**
     * Real packages in several versions, as a user would include them: the newest and the oldest openssl and libssl3
     * the mirror serves today (read from its indices at test time, never pinned), libssl-dev of the oldest only (a
     * binary the newer upload lacks), and what this machine's apt cache holds in several versions. For every binary
     * name and architecture, its newest version is published, whatever other binaries newer versions of its source
     * have.
     */
    @Test
    void everyBinaryOfRealPackagesInSeveralVersionsIsPublishedAtItsNewestVersion() throws Exception {
        List<Path> debs = new ArrayList<>();
        List<String> openssl = RealDebs.versions("openssl");
        assertThat(openssl).as("openssl's versions in the apt sources").hasSizeGreaterThan(1);
        String latest = openssl.get(0);
        String earliest = openssl.get(openssl.size() - 1);
        for (String pkg : List.of("openssl", "libssl3")) {
            debs.add(RealDebs.download(work, pkg, latest));
            debs.add(RealDebs.download(work, pkg, earliest));
        }
        debs.add(RealDebs.download(work, "libssl-dev", earliest));
        Path cache = Path.of("/var/cache/apt/archives");
        if (Files.isDirectory(cache)) {
            try (Stream<Path> s = Files.list(cache)) {
                s.filter(p -> p.getFileName().toString().endsWith(".deb"))
                        .sorted()
                        .forEach(debs::add);
            }
        }
        // The interesting ones (named NAME_VERSION_ARCH.deb): every .deb of a version that some binary name has
        // beside another version, so older versions' binaries that newer ones lack are among them.
        Map<String, Set<String>> versionsOf = new HashMap<>();
        debs.forEach(p ->
                versionsOf.computeIfAbsent(field(p, 0), k -> new HashSet<>()).add(field(p, 1)));
        Set<String> versions = new HashSet<>();
        versionsOf.values().stream().filter(v -> v.size() > 1).forEach(versions::addAll);
        debs.removeIf(p -> !versions.contains(field(p, 1)) || p.toFile().length() > 20_000_000);
        assertThat(debs).hasSizeGreaterThanOrEqualTo(5);
        ppa.createArchive()
                .name("cache")
                .series(List.of("bookworm"))
                .architectures(List.of("amd64", "arm64", "armhf", "i386"))
                .call();
        Include.Result r = ppa.include()
                .archive("cache")
                .series("bookworm")
                .files(debs)
                .skipRefused(true)
                .call();
        List<BinaryPublication> published = ppa.metadata()
                .read(tx ->
                        tx.publishedBinaries(tx.archive("cache").orElseThrow().id(), "bookworm"));
        Map<String, String> got = new HashMap<>();
        published.forEach(
                b -> got.put(b.name() + "/" + b.architecture(), b.version().toString()));
        // What a user expects: per binary name, the newest of what was included (all and any share one index).
        Map<String, DebPackage> newest = new HashMap<>();
        for (Path p : debs) {
            if (r.skipped().stream().noneMatch(x -> x.startsWith(p.toString()))) {
                var d = DebReader.read(p);
                newest.merge(d.packageName(), d, (a, b) -> a.version().compareTo(b.version()) >= 0 ? a : b);
            }
        }
        Map<String, String> want = new HashMap<>();
        newest.values()
                .forEach(d -> want.put(
                        d.packageName() + "/" + d.architecture(), d.version().toString()));
        // At least one binary is published although a newer version of its source (without it) was included too.
        assertThat(newest.values())
                .anySatisfy(d -> assertThat(newest.values()).anySatisfy(o -> {
                    assertThat(o.sourceName()).isEqualTo(d.sourceName());
                    assertThat(o.sourceVersion()).isGreaterThan(d.sourceVersion());
                }));
        assertThat(got).containsAllEntriesOf(want);
        assertThat(r.publishedBinaries()).hasSize(published.size());
    }
}
