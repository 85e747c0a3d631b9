package org.ppaforge.archive.verb;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ppaforge.archive.ArchiveException;
import org.ppaforge.common.Names;
import org.ppaforge.debian.FormatException;
import org.ppaforge.debian.Version;
import org.ppaforge.debian.changes.Changes;
import org.ppaforge.debian.checksum.Checksums;
import org.ppaforge.debian.checksum.ListedFile;
import org.ppaforge.debian.control.ControlText;
import org.ppaforge.debian.deb.DataEntry;
import org.ppaforge.debian.deb.DebPackage;
import org.ppaforge.debian.deb.DebReader;
import org.ppaforge.debian.deb.UnpackLimits;
import org.ppaforge.debian.dsc.Dsc;
import org.ppaforge.debian.relation.RelationFields;

/**
 * Include's reading of the files it is given, before anything changes: a directory's .debs, a .dsc with the files it
 * lists (checksums verified), a .changes with its files, and what recording a .deb needs (its control and Contents
 * lines), with the size limits that keep a hostile file bounded.
 */
final class IncludeFiles {
    private IncludeFiles() {}

    record SourceItem(Dsc dsc, Checksums dscSums, Path dscPath, Map<String, Path> paths, Map<String, Checksums> sums) {}

    /**
     * What recording a read .deb needs, prepared on the reader threads; the parsed package
     * itself (entry lists and all) is not kept, so 20,000 of these stay small.
     */
    record DebItem(
            Path path,
            String packageName,
            Version version,
            String architecture,
            String sourceName,
            Version sourceVersion,
            Checksums checksums,
            String filename,
            String controlText,
            String contents) {
        DebItem(Path path, DebPackage deb) {
            this(
                    path,
                    deb.packageName(),
                    deb.version(),
                    deb.architecture(),
                    deb.sourceName(),
                    deb.sourceVersion(),
                    deb.checksums(),
                    Lookup.debFileName(deb.packageName(), deb.version(), deb.architecture()),
                    deb.control().toString(),
                    IncludeFiles.contents(deb));
        }
    }

    /** A directory stands for the .deb files in it (not recursive), in name order. */
    static List<Path> expand(List<Path> given) throws IOException {
        List<Path> out = new ArrayList<>();
        for (Path f : given) {
            if (Files.isDirectory(f)) {
                List<Path> debs = new ArrayList<>();
                try (var s = Files.newDirectoryStream(f, "*.deb")) {
                    s.forEach(debs::add); // no stat per entry: a directory named *.deb fails clearly when read
                }
                debs.sort(null);
                out.addAll(debs);
            } else {
                out.add(f);
            }
        }
        return out;
    }

    static String contents(DebPackage deb) {
        StringBuilder sb = new StringBuilder();
        for (DataEntry e : deb.dataEntries()) {
            if (e.type() != DataEntry.Type.DIRECTORY) {
                sb.append(e.path()).append('\n');
            }
        }
        return sb.toString();
    }

    static DebPackage readDeb(Path p, UnpackLimits limits) {
        try {
            DebPackage deb = DebReader.read(p, limits);
            RelationFields.checkBinary(deb.control(), p.getFileName().toString());
            return deb;
        } catch (NoSuchFileException e) {
            throw ArchiveException.invalid(p + ": no such file");
        } catch (FormatException e) {
            throw new ArchiveException(ArchiveException.Kind.INVALID, e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(p + ": " + e.getMessage(), e);
        }
    }

    static String readText(Path p) {
        try {
            return ControlText.read(p);
        } catch (FormatException e) {
            throw new ArchiveException(
                    ArchiveException.Kind.TOO_LARGE,
                    p + ": " + e.getMessage().substring(e.getMessage().indexOf(": ") + 2),
                    e);
        } catch (NoSuchFileException e) {
            throw ArchiveException.invalid(p + ": no such file");
        } catch (IOException e) {
            throw new UncheckedIOException(p + ": " + e.getMessage(), e);
        }
    }

    static Checksums sums(Path p) {
        try {
            return Checksums.of(p);
        } catch (NoSuchFileException e) {
            throw ArchiveException.invalid(p + ": no such file");
        } catch (IOException e) {
            throw new UncheckedIOException(p + ": " + e.getMessage(), e);
        }
    }

    /** Reads a .dsc and verifies the files it lists, found beside it. */
    static SourceItem readSource(Path dscPath, Map<String, Checksums> alreadyVerified) {
        Dsc dsc;
        try {
            dsc = Dsc.parse(readText(dscPath), dscPath.toString());
            RelationFields.checkSource(dsc.stanza(), dscPath.getFileName().toString());
            for (String b : dsc.binaries()) {
                if (!Names.is(Names.PACKAGE, b)) {
                    throw new FormatException(
                            dscPath.getFileName() + ": field Binary: invalid package name '" + b + "'");
                }
            }
        } catch (FormatException e) {
            throw new ArchiveException(ArchiveException.Kind.INVALID, e.getMessage(), e);
        }
        Map<String, Path> paths = new LinkedHashMap<>();
        Map<String, Checksums> sums = new LinkedHashMap<>();
        for (ListedFile f : dsc.files()) {
            Path p = dscPath.resolveSibling(f.name());
            Checksums c = alreadyVerified != null && alreadyVerified.containsKey(f.name())
                    ? alreadyVerified.get(f.name())
                    : sums(p);
            String problem = f.mismatch(c);
            if (problem != null) {
                throw ArchiveException.invalid(p + ": " + problem + " (listed in " + dscPath.getFileName() + ")");
            }
            paths.put(f.name(), p);
            sums.put(f.name(), c);
        }
        return new SourceItem(dsc, sums(dscPath), dscPath, paths, sums);
    }

    /** Reads a .changes, verifies every file it lists, and queues its .dsc and .debs. */
    static void readChanges(Path changesPath, List<SourceItem> sources, List<Path> debPaths) {
        Changes changes;
        try {
            changes = Changes.parse(readText(changesPath), changesPath.toString());
        } catch (FormatException e) {
            throw new ArchiveException(ArchiveException.Kind.INVALID, e.getMessage(), e);
        }
        Map<String, Checksums> verified = new HashMap<>();
        for (ListedFile f : changes.files()) {
            Path p = changesPath.resolveSibling(f.name());
            Checksums c = sums(p);
            String problem = f.mismatch(c);
            if (problem != null) {
                throw ArchiveException.invalid(p + ": " + problem + " (listed in " + changesPath.getFileName() + ")");
            }
            verified.put(f.name(), c);
        }
        for (ListedFile f : changes.files()) {
            Path p = changesPath.resolveSibling(f.name());
            if (f.name().endsWith(".dsc")) {
                sources.add(readSource(p, verified));
            } else if (f.name().endsWith(".deb")) {
                debPaths.add(p);
            }
        }
    }
}
