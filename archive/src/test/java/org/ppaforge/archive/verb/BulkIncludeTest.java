package org.ppaforge.archive.verb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ppaforge.archive.ArchiveException;
import org.ppaforge.archive.ArchiveSettings;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.debian.testing.RealDebs;

/** Bulk imports of a mixed directory of real packages: what the rules refuse is skipped and named, the rest goes in. */
class BulkIncludeTest {

    /** How the archive is opened: the embedded default here; {@link BulkIncludeOnSharedStoresTest} runs every test on PostgreSQL and S3. */
    ArchiveSettings settings(Path data) {
        return ArchiveSettings.of(data);
    }

    private static final Path CACHE = Path.of("target/test-cache");

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
                .architectures(List.of("amd64"))
                .call();
    }

    @AfterEach
    void close() {
        ppa.close();
    }

    @Test
    void aMixedDirectoryGoesInWithEachRefusedFileNamedAndWhy() throws Exception {
        Path dir = Files.createDirectories(work.resolve("corpus"));
        for (Path real : RealDebs.download(CACHE, RealDebs.PACKAGES)) {
            Files.copy(real, dir.resolve(real.getFileName()));
        }
        // Refused three ways: an architecture trunk does not build, a version older than the published one, not a .deb.
        Path arm = RealDebs.build(work, "armonly", "1.0", "arm64", "xz");
        Files.copy(arm, dir.resolve(arm.getFileName()));
        ppa.include()
                .archive("trunk")
                .series("noble")
                .files(List.of(RealDebs.build(work, "sl", "99.0", "amd64", "xz")))
                .call();
        Files.writeString(dir.resolve("broken_1.0_amd64.deb"), "not a package");

        String before = Files.readString(data.resolve("public/trunk/dists/noble/main/binary-amd64/Packages"));
        assertThatThrownBy(() -> ppa.include()
                        .archive("trunk")
                        .series("noble")
                        .files(List.of(dir))
                        .call())
                .isInstanceOf(ArchiveException.class);
        assertThat(Files.readString(data.resolve("public/trunk/dists/noble/main/binary-amd64/Packages")))
                .isEqualTo(before);

        Include.Result r = ppa.include()
                .archive("trunk")
                .series("noble")
                .files(List.of(dir))
                .skipRefused(true)
                .call();
        assertThat(r.skipped()).hasSize(3);
        assertThat(r.skipped())
                .anySatisfy(s -> assertThat(s).contains("armonly_1.0_arm64.deb").contains("architecture 'arm64'"));
        assertThat(r.skipped()).anySatisfy(s -> assertThat(s).contains("sl_").contains("is older than 99.0"));
        assertThat(r.skipped())
                .anySatisfy(s -> assertThat(s).contains("broken_1.0_amd64.deb").contains("no ar archive signature"));
        assertThat(r.publishedBinaries()).hasSize(RealDebs.PACKAGES.size() - 1);
        List<String> published = new ArrayList<>();
        ppa.list().archive("trunk").call().forEach(e -> published.add(e.source()));
        assertThat(published).hasSize(RealDebs.PACKAGES.size()); // the four real ones that went in, and sl 99.0
    }

    @Test
    void theSummaryCountsWhatIsPublishedAtTheEndNotWhatASecondVersionInTheSameCallReplaced() throws Exception {
        Include.Result r = ppa.include()
                .archive("trunk")
                .series("noble")
                .files(List.of(
                        RealDebs.build(work, "tool", "1.0", "amd64", "xz"),
                        RealDebs.build(work, "tool", "2.0", "amd64", "xz")))
                .call();
        assertThat(r.publishedBinaries()).containsExactly("tool 2.0 (amd64)");
        assertThat(r.publishedSources()).containsExactly("tool 2.0");
        assertThat(r.superseded()).isEmpty();
        assertThat(ppa.list().archive("trunk").call())
                .singleElement()
                .satisfies(e -> assertThat(e.version().toString()).isEqualTo("2.0"));
    }
}
