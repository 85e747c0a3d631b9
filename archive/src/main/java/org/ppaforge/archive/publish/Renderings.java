package org.ppaforge.archive.publish;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.ppaforge.archive.store.IndexRows;
import org.ppaforge.debian.control.Deb822Reader;
import org.ppaforge.debian.control.Field;
import org.ppaforge.debian.control.Stanza;
import org.ppaforge.debian.pool.PoolPath;

/** How one entry of each index reads: a Packages stanza, a Sources stanza, Contents lines. */
final class Renderings {
    private Renderings() {}

    /**
     * Fields only the archive writes: a .deb's control data that carries them (forged or stale) must not put a second,
     * wrong value beside the archive's own, as dpkg-scanpackages and reprepro also ensure.
     */
    private static final Set<String> ARCHIVE_FIELDS =
            Set.of("filename", "size", "md5sum", "sha1", "sha256", "sha512", "description-md5");

    /** The .deb's control fields (less the archive's own), then where it is and its checksums; a blank line after. */
    static byte[] packages(IndexRows.Binary b, IndexRows.BinaryDetail d) {
        StringBuilder sb = new StringBuilder(d.control().length() + 300);
        appendPackageFields(sb, d.control());
        sb.append("Filename: ")
                .append(PoolPath.of(b.component(), b.source(), b.filename()))
                .append('\n');
        sb.append("Size: ").append(d.size()).append('\n');
        sb.append("MD5sum: ").append(d.md5()).append('\n');
        sb.append("SHA1: ").append(d.sha1()).append('\n');
        sb.append("SHA256: ").append(d.sha256()).append("\n\n");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Appends a control stanza's lines, less the fields in {@link #ARCHIVE_FIELDS} (with their continuation lines). */
    static void appendPackageFields(StringBuilder sb, String control) {
        boolean skipping = false;
        int start = 0;
        while (start < control.length()) {
            int end = control.indexOf('\n', start);
            end = end < 0 ? control.length() : end;
            if (end > start) {
                char first = control.charAt(start);
                if (first != ' ' && first != '\t') {
                    int colon = control.indexOf(':', start);
                    skipping = colon > start
                            && colon < end
                            && ARCHIVE_FIELDS.contains(
                                    control.substring(start, colon).strip().toLowerCase(Locale.ROOT));
                }
                if (!skipping) {
                    sb.append(control, start, end).append('\n');
                }
            }
            start = end + 1;
        }
    }

    /**
     * The .dsc's fields with {@code Source} renamed {@code Package}, the file lists rebuilt
     * to include the .dsc itself (as in every archive's Sources), and {@code Directory}.
     */
    static byte[] sources(IndexRows.Source s, IndexRows.SourceDetail d) {
        Stanza dsc = Deb822Reader.parseSingle(d.stanza(), "stored .dsc of " + s.name());
        List<IndexRows.File> files = d.files();
        Stanza.Builder b = Stanza.builder().set("Package", s.name());
        for (Field f : dsc.fields()) {
            String n = f.name();
            if (n.equalsIgnoreCase("Source")
                    || n.equalsIgnoreCase("Files")
                    || n.equalsIgnoreCase("Checksums-Sha1")
                    || n.equalsIgnoreCase("Checksums-Sha256")
                    || n.equalsIgnoreCase("Checksums-Sha512")
                    || n.equalsIgnoreCase("Hash")
                    || n.equalsIgnoreCase("Directory")) {
                continue;
            }
            b.set(f);
        }
        b.set(Field.ofLines(
                "Files",
                files.stream()
                        .map(f -> f.md5() + " " + f.size() + " " + f.filename())
                        .toList()));
        b.set(Field.ofLines(
                "Checksums-Sha1",
                files.stream()
                        .map(f -> f.sha1() + " " + f.size() + " " + f.filename())
                        .toList()));
        b.set(Field.ofLines(
                "Checksums-Sha256",
                files.stream()
                        .map(f -> f.sha256() + " " + f.size() + " " + f.filename())
                        .toList()));
        b.set("Directory", PoolPath.directory(s.component(), s.name()));
        return (b.build().toString() + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** One line per file of the package: {@code path   section/package}. */
    static byte[] contents(IndexRows.Binary b, IndexRows.BinaryDetail d) {
        String section = "misc";
        for (String line : d.control().split("\n")) {
            if (line.regionMatches(true, 0, "Section:", 0, 8)) {
                section = line.substring(8).strip();
                break;
            }
        }
        String location = section + "/" + b.name();
        StringBuilder sb = new StringBuilder();
        for (String path : d.contents().split("\n")) {
            String p = path;
            while (p.startsWith("./") || p.startsWith("/")) {
                p = p.startsWith("./") ? p.substring(2) : p.substring(1);
            }
            if (p.isEmpty()) {
                continue;
            }
            sb.append(p)
                    .append(p.length() < 60 ? " ".repeat(60 - p.length()) : "    ")
                    .append(location)
                    .append('\n');
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }
}
