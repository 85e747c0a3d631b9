package org.ppaforge.debian.changes;

import java.util.Arrays;
import java.util.List;
import org.ppaforge.debian.FormatException;
import org.ppaforge.debian.PackageName;
import org.ppaforge.debian.Version;
import org.ppaforge.debian.checksum.ListedFile;
import org.ppaforge.debian.control.ClearSigned;
import org.ppaforge.debian.control.Deb822Reader;
import org.ppaforge.debian.control.Stanza;

/**
 * An upload description (.changes, format 1.8), signed or not.
 *
 * @param source the source package name ({@code Source: name (version)} gives {@code name})
 * @param distributions the target series named in {@code Distribution}
 * @param signature the ASCII-armoured signature, or {@code null} when the file is not signed
 */
public record Changes(String fileName, Stanza stanza, String format, String source, Version version,
                      List<String> binaries, List<String> architectures, List<String> distributions, String urgency,
                      String maintainer, String changedBy, List<ListedFile> files, String signature) {

    public boolean isSigned() {
        return signature != null;
    }

    /** Whether the upload carries a source package ({@code Architecture} lists {@code source}). */
    public boolean hasSource() {
        return architectures.contains("source");
    }

    public static Changes parse(String text, String fileName) {
        String body = text;
        String signature = null;
        if (ClearSigned.isClearSigned(text)) {
            ClearSigned signed = ClearSigned.parse(text, fileName);
            body = signed.body();
            signature = signed.signature();
        }
        Stanza s = Deb822Reader.parseSingle(body, fileName);
        for (String field : List.of("Format", "Date", "Source", "Architecture", "Version", "Distribution", "Maintainer", "Files")) {
            if (s.get(field) == null || (s.get(field).isEmpty() && !field.equals("Files"))) {
                throw new FormatException(fileName, "missing required field '" + field + "'");
            }
        }
        String sourceField = s.get("Source");
        String source = sourceField.contains("(") ? sourceField.substring(0, sourceField.indexOf('(')).strip() : sourceField;
        try {
            PackageName.check(source, "source package");
        } catch (FormatException e) {
            throw new FormatException(fileName, e.getMessage());
        }
        Version version;
        try {
            version = Version.parse(s.get("Version"));
        } catch (FormatException e) {
            throw new FormatException(fileName, e.getMessage(), e);
        }
        List<ListedFile> files = ListedFile.parse(s, fileName, true);
        return new Changes(fileName, s, s.get("Format"), source, version, words(s.get("Binary")),
                words(s.get("Architecture")), words(s.get("Distribution")), s.get("Urgency"), s.get("Maintainer"),
                s.get("Changed-By"), files, signature);
    }

    private static List<String> words(String value) {
        return value == null || value.isBlank() ? List.of() : Arrays.asList(value.strip().split("\\s+"));
    }
}
