package org.ppaforge.archive.upload;

import org.ppaforge.archive.ArchiveException;

/**
 * An upload the archive refused: the message is the one-line reason (what dput shows from
 * the status line), {@link #report()} the whole report (the response body).
 */
public final class UploadRejected extends ArchiveException {
    private final String report;

    public UploadRejected(Kind kind, String reason, String report) {
        super(kind, reason);
        this.report = report;
    }

    public String report() {
        return report;
    }
}
