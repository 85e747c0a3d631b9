package org.ppaforge.debian.changes;

import java.util.Arrays;
import java.util.List;
import org.ppaforge.debian.Version;
import org.ppaforge.debian.checksum.ListedFile;
import org.ppaforge.debian.control.SignedControl;
import org.ppaforge.debian.control.Stanza;

/**
 * An upload description (.changes, format 1.8), signed or not.
 *
 * @param source the source package name ({@code Source: name (version)} gives {@code name})
 * @param distributions the target series named in {@code Distribution}
 * @param signature the ASCII-armoured signature, or {@code null} when the file is not signed
 */
public record Changes(
        String fileName,
        Stanza stanza,
        String format,
        String source,
        Version version,
        List<String> binaries,
        List<String> architectures,
        List<String> distributions,
        String urgency,
        String maintainer,
        String changedBy,
        List<ListedFile> files,
        String signature) {

    public boolean isSigned() {
        return signature != null;
    }

    /** Whether the upload carries a source package ({@code Architecture} lists {@code source}). */
    public boolean hasSource() {
        return architectures.contains("source");
    }

    public static Changes parse(String text, String fileName) {
        SignedControl c = SignedControl.parse(text, fileName);
        Stanza s = c.stanza();
        for (String field :
                List.of("Format", "Date", "Source", "Architecture", "Version", "Distribution", "Maintainer")) {
            c.require(field);
        }
        String source = c.sourceName("Source");
        Version version = c.version("Version");
        List<ListedFile> files = ListedFile.parse(s, fileName, true);
        return new Changes(
                fileName,
                s,
                s.get("Format"),
                source,
                version,
                words(s.get("Binary")),
                words(s.get("Architecture")),
                words(s.get("Distribution")),
                s.get("Urgency"),
                s.get("Maintainer"),
                s.get("Changed-By"),
                files,
                c.signature());
    }

    private static List<String> words(String value) {
        return value == null || value.isBlank()
                ? List.of()
                : Arrays.asList(value.strip().split("\\s+"));
    }
}
