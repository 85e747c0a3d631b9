package org.ppaforge.archive.verb;

import org.ppaforge.archive.ArchiveException;
import org.ppaforge.debian.Version;

/**
 * Refused: a version older than the one the series publishes. The rule is Include's; a caller may word it its own
 * way (an upload's rejection names no command-line option).
 */
public final class OlderVersion extends ArchiveException {
    private final String source;
    private final String version;
    private final String published;
    private final String where;

    OlderVersion(String source, Version version, Version published, String where) {
        super(
                Kind.REFUSED,
                source + " " + version + " is older than " + published + " already published in " + where
                        + " (use --allow-downgrade to replace it)");
        this.source = source;
        this.version = version.toString();
        this.published = published.toString();
        this.where = where;
    }

    public String source() {
        return source;
    }

    public String version() {
        return version;
    }

    public String published() {
        return published;
    }

    /** archive/series */
    public String where() {
        return where;
    }
}
