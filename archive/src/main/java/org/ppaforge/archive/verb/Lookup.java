package org.ppaforge.archive.verb;

import java.util.List;
import java.util.Map;
import org.ppaforge.archive.ArchiveException;
import org.ppaforge.archive.model.Archive;
import org.ppaforge.archive.model.SourcePublication;
import org.ppaforge.archive.store.StoreTx;
import org.ppaforge.archive.upload.UploadLimits;
import org.ppaforge.debian.Version;

/** Lookups and checks several verbs share; every failure names what was asked for. */
final class Lookup {
    private Lookup() {}

    static Archive archive(StoreTx tx, String name) {
        if (name == null || name.isBlank()) {
            throw ArchiveException.invalid("no archive named (give the archive's name)");
        }
        return tx.archive(name).orElseThrow(() -> missing(tx, name));
    }

    /**
     * The answer for an archive that does not exist, naming the public ones; to a caller who may not read a private
     * archive it is the same answer, so private archives can neither be listed nor probed through it.
     */
    static ArchiveException missing(StoreTx tx, String name) {
        return ArchiveException.notFound("archive '" + name + "' does not exist"
                + known(tx.archives().stream()
                        .filter(a -> !tx.publishSettings(a.id()).privateArchive())
                        .map(Archive::name)
                        .toList()));
    }

    private static String known(List<String> names) {
        return names.isEmpty()
                ? " (there are no public archives: create one with 'ppa archive create')"
                : " (archives: " + String.join(", ", names) + ")";
    }

    /** The series asked for, or the archive's only series when none was asked for. */
    static String series(Archive archive, String series) {
        if (series == null) {
            if (archive.series().size() == 1) {
                return archive.series().get(0);
            }
            throw ArchiveException.invalid("archive '" + archive.name() + "' publishes for several series ("
                    + String.join(", ", archive.series()) + "): choose one with --series");
        }
        if (!archive.hasSeries(series)) {
            throw ArchiveException.notFound("archive '" + archive.name() + "' does not publish for series '" + series
                    + "' (its series: " + String.join(", ", archive.series()) + ")");
        }
        return series;
    }

    /**
     * Refuses a pool file name that the archive already uses for other content: a name
     * maps to exactly one content, forever.
     */
    static void checkPoolName(Map<String, String> pool, Archive archive, String filename, String sha256) {
        String existing = pool.get(filename);
        if (existing != null && !existing.equals(sha256)) {
            throw ArchiveException.refused("file '" + filename + "' already exists in archive '" + archive.name()
                    + "' with different content (SHA256 " + existing + " there, " + sha256 + " now): a pool file name "
                    + "can never change content; upload a new version instead");
        }
    }

    /** The pool file name of a binary package: {@code name_version_arch.deb}, epoch dropped. */
    static String debFileName(String name, Version version, String architecture) {
        return name + "_" + version.withoutEpoch() + "_" + architecture + ".deb";
    }

    static boolean buildsFor(Archive archive, String architecture) {
        return architecture.equals("all") || archive.architectures().contains(architecture);
    }

    /** Every publication of {@code source} in the archive, newest first; not found when it has never been there. */
    static List<SourcePublication> history(StoreTx tx, Archive a, String source) {
        var all = tx.history(a.id(), source);
        if (all.isEmpty()) {
            throw ArchiveException.notFound("source '" + source + "' has never been in archive '" + a.name() + "'");
        }
        return all;
    }

    /**
     * Refuses (the whole transaction) when what {@code target}'s series publishes now lists more Contents path bytes than
     * {@code max}: every publish renders them, so includes, copies and syncs are all held to one bound.
     */
    static void checkContents(StoreTx tx, Archive target, String series, long max, String undone) {
        long total = tx.contentsBytes(target.id(), series);
        if (total > max) {
            throw ArchiveException.refused(target.name() + "/" + series + "'s Contents would hold "
                    + UploadLimits.human(total) + " of paths, over the "
                    + UploadLimits.human(max) + " an archive series may publish (remove packages, or "
                    + "use another series or archive); " + undone);
        }
    }
}
