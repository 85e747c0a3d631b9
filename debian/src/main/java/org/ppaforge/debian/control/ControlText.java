package org.ppaforge.debian.control;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.ppaforge.debian.FormatException;

/**
 * A .dsc or .changes read as text, bounded before it is read: an uploader (or a build's dpkg-genchanges, fed an
 * uploader's changelog) can make one as large as an upload may be, and it is held whole while it is parsed. Real ones are
 * a few KB; a long changelog entry keeps them well under the bound.
 */
public final class ControlText {
    /** The largest .dsc or .changes read. */
    public static final long MAX_BYTES = 4L << 20;

    private ControlText() {}

    public static String read(Path file) throws IOException {
        long size = Files.size(file);
        if (size > MAX_BYTES) {
            throw new FormatException(
                    file.getFileName().toString(),
                    "is " + size + " bytes; a .dsc or .changes is at most " + (MAX_BYTES >> 20) + " MiB");
        }
        return Files.readString(file, StandardCharsets.UTF_8);
    }
}
