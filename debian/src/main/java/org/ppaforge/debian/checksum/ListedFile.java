package org.ppaforge.debian.checksum;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.ppaforge.debian.FormatException;
import org.ppaforge.debian.control.Field;
import org.ppaforge.debian.control.Stanza;
import org.ppaforge.debian.pool.PoolPath;

/**
 * A file named in the {@code Files} and {@code Checksums-*} fields of a .dsc or .changes,
 * with every checksum the lists give for it ({@code null} where a list is absent).
 * {@code section} and {@code priority} are only set for .changes entries.
 */
public record ListedFile(
        String name, long size, String md5, String sha1, String sha256, String section, String priority) {

    /**
     * The first way a file differs from its entry: {@code what} is {@code size}, {@code SHA256},
     * {@code SHA1} or {@code MD5}, with the listed and the actual value.
     */
    public record Difference(String what, String listed, String actual) {}

    /** How {@code actual} differs from the size and checksums listed here (size first, then the strongest sum), or null. */
    public Difference difference(Checksums actual) {
        if (actual.size() != size) {
            return new Difference("size", String.valueOf(size), String.valueOf(actual.size()));
        }
        String[][] sums = {
            {"SHA256", sha256, actual.sha256()}, {"SHA1", sha1, actual.sha1()}, {"MD5", md5, actual.md5()}
        };
        for (String[] s : sums) {
            if (s[1] != null && !s[1].equals(s[2])) {
                return new Difference(s[0], s[1], s[2]);
            }
        }
        return null;
    }

    /** Whether {@code actual} matches the size and every checksum listed here: null, or the difference in words. */
    public String mismatch(Checksums actual) {
        Difference d = difference(actual);
        if (d == null) {
            return null;
        }
        return d.what().equals("size")
                ? "size " + d.actual() + " differs from the listed " + d.listed()
                : d.what() + " mismatch (listed " + d.listed() + ", file has " + d.actual() + ")";
    }

    /**
     * Reads {@code Files}, {@code Checksums-Sha1} and {@code Checksums-Sha256} of a stanza
     * and checks they agree: plain file names, well-formed hex, no duplicates, every file in
     * every list present, and sizes equal across lists.
     *
     * @param withSectionPriority whether Files lines carry section and priority (.changes)
     */
    public static List<ListedFile> parse(Stanza stanza, String source, boolean withSectionPriority) {
        Field files = stanza.field("Files");
        if (files == null || files.items().isEmpty()) {
            throw new FormatException(source, "no 'Files' field (or it lists no file)");
        }
        Map<String, String[]> md5 = readList(files, source, 32, withSectionPriority ? 5 : 3);
        Map<String, String[]> sha1 = optionalList(stanza, "Checksums-Sha1", source, 40);
        Map<String, String[]> sha256 = optionalList(stanza, "Checksums-Sha256", source, 64);
        // Either list may be absent (old .dsc files list only Files): Map.entry takes no null, so a plain pair.
        for (var list : Arrays.<Map.Entry<String, Map<String, String[]>>>asList(
                new AbstractMap.SimpleEntry<>("Checksums-Sha1", sha1),
                new AbstractMap.SimpleEntry<>("Checksums-Sha256", sha256))) {
            if (list.getValue() == null) {
                continue;
            }
            for (String name : md5.keySet()) {
                if (!list.getValue().containsKey(name)) {
                    throw new FormatException(source, "file '" + name + "' is in Files but not in " + list.getKey());
                }
            }
            for (var e : list.getValue().entrySet()) {
                String[] inFiles = md5.get(e.getKey());
                if (inFiles == null) {
                    throw new FormatException(
                            source, "file '" + e.getKey() + "' is in " + list.getKey() + " but not in Files");
                }
                if (!inFiles[1].equals(e.getValue()[1])) {
                    throw new FormatException(
                            source,
                            "file '" + e.getKey() + "' has size " + inFiles[1] + " in Files but " + e.getValue()[1]
                                    + " in " + list.getKey());
                }
            }
        }
        List<ListedFile> result = new ArrayList<>();
        for (var e : md5.entrySet()) {
            String[] p = e.getValue();
            result.add(new ListedFile(
                    e.getKey(),
                    Long.parseLong(p[1]),
                    p[0],
                    sha1 == null ? null : sha1.get(e.getKey())[0],
                    sha256 == null ? null : sha256.get(e.getKey())[0],
                    withSectionPriority ? p[2] : null,
                    withSectionPriority ? p[3] : null));
        }
        return List.copyOf(result);
    }

    private static Map<String, String[]> optionalList(Stanza stanza, String field, String source, int hexLength) {
        Field f = stanza.field(field);
        return f == null ? null : readList(f, source, hexLength, 3);
    }

    // name -> [hex, size, section?, priority?]
    private static Map<String, String[]> readList(Field field, String source, int hexLength, int columns) {
        Map<String, String[]> entries = new LinkedHashMap<>();
        for (String line : field.items()) {
            String[] parts = line.split("\\s+");
            if (parts.length != columns) {
                throw new FormatException(
                        source,
                        "malformed line in " + field.name() + ": '" + line + "' (expected "
                                + (columns == 5 ? "checksum size section priority name" : "checksum size name") + ")");
            }
            String hex = parts[0].toLowerCase(Locale.ROOT);
            if (hex.length() != hexLength
                    || !hex.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                throw new FormatException(
                        source,
                        "malformed checksum '" + parts[0] + "' in " + field.name() + " (expected " + hexLength
                                + " hex digits)");
            }
            if (!parts[1].chars().allMatch(Character::isDigit) || parts[1].length() > 18) {
                throw new FormatException(source, "malformed size '" + parts[1] + "' in " + field.name());
            }
            String name = parts[columns - 1];
            try {
                PoolPath.checkFileName(name, "file");
            } catch (FormatException e) {
                throw new FormatException(source, e.getMessage() + " (in " + field.name() + ")");
            }
            String[] value =
                    columns == 5 ? new String[] {hex, parts[1], parts[2], parts[3]} : new String[] {hex, parts[1]};
            if (entries.put(name, value) != null) {
                throw new FormatException(source, "file '" + name + "' is listed twice in " + field.name());
            }
        }
        return entries;
    }
}
