package org.ppaforge.debian.checksum;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.ppaforge.debian.control.Stanza;

/**
 * The {@code SHA256} list of an apt {@code Release} (or {@code InRelease}) stanza: each listed file's path (relative to
 * the suite's directory), size and SHA-256. Lines that are not three well-formed columns are left out, as apt does.
 */
public final class ReleaseChecksums {
    /** What the Release lists of a file: its size and SHA-256 (lower-case hex). */
    public record Listed(long size, String sha256) {}

    private ReleaseChecksums() {}

    /** The stanza's {@code SHA256} list by path; null when it has no such field. */
    public static Map<String, Listed> sha256(Stanza release) {
        String field = release.get("SHA256");
        if (field == null) {
            return null;
        }
        Map<String, Listed> listed = new HashMap<>();
        for (String line : field.strip().split("\n")) {
            String[] f = line.strip().split("\\s+");
            if (f.length == 3 && f[0].matches("[0-9a-fA-F]{64}") && f[1].matches("[0-9]{1,15}")) {
                listed.put(f[2], new Listed(Long.parseLong(f[1]), f[0].toLowerCase(Locale.ROOT)));
            }
        }
        return listed;
    }
}
