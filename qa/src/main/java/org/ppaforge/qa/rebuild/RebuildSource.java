package org.ppaforge.qa.rebuild;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.archive.store.IndexRows;
import org.ppaforge.archive.verb.ShowSource;
import org.ppaforge.common.ForgeException;
import org.ppaforge.debian.FormatException;
import org.ppaforge.debian.Version;
import org.ppaforge.debian.changelog.Changelog;

/**
 * The source package a rebuild uploads: the published source of an archive, unpacked with {@code dpkg-source -x}, a
 * changelog entry of version {@code VERSION~rebuildYYYYMMDD.RUN} put first, packed again with {@code dpkg-source -b}.
 * The {@code ~} makes the rebuild sort below the package it rebuilds, so an archive of rebuilds never shadows the real
 * package for a client that has both.
 */
final class RebuildSource {
    record Prepared(Path dsc, String version, String rebuiltVersion) {}

    private RebuildSource() {}

    /** The published version of {@code pkg} in the archive's series, with its {@code .dsc}. */
    static ShowSource.Version published(Ppaforge ppa, String archive, String series, String pkg) {
        return ppa.showSource().archive(archive).source(pkg).call().stream()
                .filter(v -> v.status().equals("published") && v.series().equals(series) && v.stanza() != null)
                .findFirst()
                .orElseThrow(() ->
                        ForgeException.notFound("'" + pkg + "' has no published source in " + archive + "/" + series));
    }

    static String rebuiltVersion(String version, ZonedDateTime now, long run) {
        return version + "~rebuild"
                + now.format(DateTimeFormatter.BASIC_ISO_DATE).substring(0, 8) + "." + run;
    }

    /** The published source's files, from the pool into {@code work}: its .dsc there. */
    static Path fromPool(Ppaforge ppa, ShowSource.Version v, Path work) throws IOException {
        Files.createDirectories(work);
        for (IndexRows.File f : v.files()) {
            try (InputStream in = ppa.blobs().open(f.sha256())) {
                Files.copy(in, work.resolve(f.filename()));
            }
        }
        return work.resolve(v.dsc());
    }

    /** Rebuilds the source whose .dsc (its files beside it, in {@code work}) is {@code dsc}, of version {@code version}. */
    static Prepared prepare(Path dsc0, String version, String pkg, String series, String reason, long run, Path work)
            throws IOException, InterruptedException {
        return repack(
                dsc0,
                version,
                pkg,
                series,
                reason,
                Version.parse(rebuiltVersion(version, ZonedDateTime.now(ZoneOffset.UTC), run)),
                work);
    }

    /**
     * The source whose .dsc (its files beside it, in {@code work}) is {@code dsc0}, unpacked, given a changelog entry
     * of {@code newVersion} for {@code series} saying {@code reason}, and packed again with dpkg-source (every format:
     * 1.0, 3.0 (quilt) with its orig tarballs and their signatures, 3.0 (native)).
     */
    static Prepared repack(
            Path dsc0, String version, String pkg, String series, String reason, Version newVersion, Path work)
            throws IOException, InterruptedException {
        Version original = Version.parse(version);
        Path tree = work.resolve(pkg + "-" + original.upstream());
        run(
                work,
                "dpkg-source",
                "-x",
                dsc0.getFileName().toString(),
                tree.getFileName().toString());
        Path changelogFile = tree.resolve("debian/changelog");
        String changelog = Files.readString(changelogFile, StandardCharsets.UTF_8);
        Changelog.Entry latest = Changelog.latest(changelog, pkg + "/debian/changelog");
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        Version rebuilt = newVersion;
        Files.writeString(
                changelogFile,
                Changelog.entry(pkg, rebuilt, series, "medium", List.of(reason), latest.maintainer(), now) + changelog,
                StandardCharsets.UTF_8);
        // The rebuilt tree is packed beside the original's files (a 3.0 (quilt) source keeps its orig tarballs).
        run(work, "dpkg-source", "-b", tree.getFileName().toString());
        String noEpoch = rebuilt.toString().substring(rebuilt.toString().indexOf(':') + 1);
        Path dsc = work.resolve(pkg + "_" + noEpoch + ".dsc");
        if (!Files.isRegularFile(dsc)) {
            throw new FormatException("dpkg-source -b made no " + dsc.getFileName());
        }
        return new Prepared(dsc, version, rebuilt.toString());
    }

    private static void run(Path dir, String... cmd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("LC_ALL", "C.UTF-8");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new FormatException(String.join(" ", cmd) + " failed:\n" + out.strip());
        }
    }
}
