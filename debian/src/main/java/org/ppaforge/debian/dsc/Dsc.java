package org.ppaforge.debian.dsc;

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
 * A Debian source control file (.dsc), signed or not.
 *
 * @param signature the ASCII-armoured signature, or {@code null} when the file is not signed
 */
public record Dsc(String fileName, Stanza stanza, String format, String source, Version version, List<String> binaries,
                  List<String> architectures, String maintainer, List<ListedFile> files, String signature) {

    public boolean isSigned() {
        return signature != null;
    }

    /**
     * Parses and checks a .dsc.
     *
     * @throws FormatException naming the file and the first problem found
     */
    public static Dsc parse(String text, String fileName) {
        String body = text;
        String signature = null;
        if (ClearSigned.isClearSigned(text)) {
            ClearSigned signed = ClearSigned.parse(text, fileName);
            body = signed.body();
            signature = signed.signature();
        }
        Stanza s = Deb822Reader.parseSingle(body, fileName);
        String source = required(s, "Source", fileName);
        try {
            PackageName.check(source, "source package");
        } catch (FormatException e) {
            throw new FormatException(fileName, e.getMessage());
        }
        Version version = version(required(s, "Version", fileName), fileName);
        String format = required(s, "Format", fileName);
        List<ListedFile> files = ListedFile.parse(s, fileName, false);
        return new Dsc(fileName, s, format, source, version, list(s.get("Binary"), ","), list(s.get("Architecture"), " "),
                s.get("Maintainer"), files, signature);
    }

    static String required(Stanza s, String field, String fileName) {
        String v = s.get(field);
        if (v == null || v.isEmpty()) {
            throw new FormatException(fileName, "missing required field '" + field + "'");
        }
        return v;
    }

    static Version version(String text, String fileName) {
        try {
            return Version.parse(text);
        } catch (FormatException e) {
            throw new FormatException(fileName, e.getMessage(), e);
        }
    }

    static List<String> list(String value, String separator) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        return Arrays.stream(value.split(separator.equals(" ") ? "\\s+" : separator)).map(String::strip)
                .filter(x -> !x.isEmpty()).toList();
    }
}
