package org.ppaforge.debian.dsc;

import java.util.Arrays;
import java.util.List;
import org.ppaforge.debian.FormatException;
import org.ppaforge.debian.Version;
import org.ppaforge.debian.checksum.ListedFile;
import org.ppaforge.debian.control.SignedControl;
import org.ppaforge.debian.control.Stanza;

/**
 * A Debian source control file (.dsc), signed or not.
 *
 * @param signature the ASCII-armoured signature, or {@code null} when the file is not signed
 */
public record Dsc(
        String fileName,
        Stanza stanza,
        String format,
        String source,
        Version version,
        List<String> binaries,
        List<String> architectures,
        String maintainer,
        List<ListedFile> files,
        String signature) {

    public boolean isSigned() {
        return signature != null;
    }

    /**
     * Parses and checks a .dsc, its file list against what its {@code Format} allows.
     *
     * @throws FormatException naming the file and the first problem found
     */
    public static Dsc parse(String text, String fileName) {
        SignedControl c = SignedControl.parse(text, fileName);
        Stanza s = c.stanza();
        String source = c.sourceName("Source");
        Version version = c.version("Version");
        String format = c.require("Format");
        List<ListedFile> files = ListedFile.parse(s, fileName, false);
        SourceFormat.check(
                format, source, version, files.stream().map(ListedFile::name).toList(), fileName);
        return new Dsc(
                fileName,
                s,
                format,
                source,
                version,
                split(s.get("Binary"), ","),
                split(s.get("Architecture"), "\\s+"),
                s.get("Maintainer"),
                files,
                c.signature());
    }

    private static List<String> split(String value, String separator) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        return Arrays.stream(value.strip().split(separator))
                .map(String::strip)
                .filter(x -> !x.isEmpty())
                .toList();
    }
}
