package org.ppaforge.archive.verb;

import java.io.IOException;
import java.io.InputStream;
import org.ppaforge.archive.ArchiveException;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.archive.model.Archive;
import org.ppaforge.debian.FormatException;
import org.ppaforge.debian.pool.PoolPath;

/**
 * Receives one file of an upload into the archive's incoming queue (dput's {@code http}
 * method sends each file, the .changes last). A plain file name only, within the size
 * limits; when the file is the .changes, the upload is processed ({@link ProcessUpload}).
 */
public final class ReceiveUpload {
    private final Ppaforge ppa;
    private String archive;
    private String fileName;
    private InputStream content;
    private long declaredLength = -1;
    private String tokenName;

    /** @param processed what the upload did, when this file was its .changes (else null) */
    public record Result(String archive, String file, long size, ProcessUpload.Result processed) {}

    public ReceiveUpload(Ppaforge ppa) {
        this.ppa = ppa;
    }

    public ReceiveUpload archive(String archive) {
        this.archive = archive;
        return this;
    }

    public ReceiveUpload file(String name) {
        this.fileName = name;
        return this;
    }

    /** The file's bytes, and the length the client announced (-1: unknown). */
    public ReceiveUpload content(InputStream in, long declaredLength) {
        this.content = in;
        this.declaredLength = declaredLength;
        return this;
    }

    /** The API token that sends the upload (for the upload log). */
    public ReceiveUpload token(String name) {
        this.tokenName = name;
        return this;
    }

    public Result call() {
        Archive a = ppa.metadata().read(tx -> Lookup.archive(tx, archive));
        String name;
        try {
            name = PoolPath.checkFileName(fileName, "uploaded file");
        } catch (FormatException e) {
            throw ArchiveException.invalid(e.getMessage());
        }
        long size;
        try {
            size = ppa.incoming().receive(a.name(), tokenName, name, content, declaredLength, ppa.uploadLimits());
        } catch (IOException e) {
            throw new ArchiveException(ArchiveException.Kind.IO, "receiving " + name + ": " + e.getMessage(), e);
        }
        if (name.endsWith(".changes")) {
            ppa.diagnostics().reached("before-processing");
        }
        ProcessUpload.Result processed = name.endsWith(".changes")
                ? ppa.processUpload()
                        .archive(a.name())
                        .changes(name)
                        .token(tokenName)
                        .call()
                : null;
        return new Result(a.name(), name, size, processed);
    }
}
