package org.ppaforge.archive.verb;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.ppaforge.archive.ArchiveException;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.archive.model.Archive;
import org.ppaforge.archive.model.UploadRecord;
import org.ppaforge.archive.model.Uploader;
import org.ppaforge.archive.signing.OpenPgp;
import org.ppaforge.archive.signing.SignatureCheck;
import org.ppaforge.archive.upload.IncomingQueue;
import org.ppaforge.archive.upload.UploadRejected;
import org.ppaforge.debian.FormatException;
import org.ppaforge.debian.Version;
import org.ppaforge.debian.changes.Changes;
import org.ppaforge.debian.checksum.Checksums;
import org.ppaforge.debian.checksum.ListedFile;
import org.ppaforge.debian.control.ControlText;

/**
 * Processes an upload whose .changes has arrived in an archive's incoming queue, with the
 * checks the big archives make, in this order: the .changes reads; it is signed by a key of
 * the archive's uploaders keyring, neither expired nor revoked; its one Distribution is a
 * series of the archive; every file it lists was uploaded, with the listed size and
 * checksums; a .dsc among them is signed by an uploader too; the version is newer than
 * the one published in that series; then the include itself (pool names never reused with
 * other content). Accepted: the source and binaries are published. Either way the upload's
 * files leave the queue and the upload log records the outcome; a rejection names the
 * problem in a packager's words and changes nothing in the archive.
 */
public final class ProcessUpload {
    private final Ppaforge ppa;
    private String archive;
    private String changesName;
    private String tokenName;

    /** What an accepted upload did. */
    public record Result(
            String archive,
            String series,
            String changes,
            String source,
            String version,
            String signer,
            Include.Result published) {
        /** One line for people: what went where. */
        public String summary() {
            return "Accepted " + source + " " + version + " into " + archive + "/" + series + ": "
                    + published.publishedSources().size() + " source(s), "
                    + published.publishedBinaries().size()
                    + " binary package(s) published";
        }
    }

    public ProcessUpload(Ppaforge ppa) {
        this.ppa = ppa;
    }

    public ProcessUpload archive(String archive) {
        this.archive = archive;
        return this;
    }

    /** The .changes file's name in the archive's incoming queue. */
    public ProcessUpload changes(String name) {
        this.changesName = name;
        return this;
    }

    private String origin;

    /** What the history records as the origin of what it publishes (default: "upload"). */
    public ProcessUpload origin(String origin) {
        this.origin = origin;
        return this;
    }

    /** The API token that sent the upload: its queue holds the upload's files (null: the archive's own directory). */
    public ProcessUpload token(String name) {
        this.tokenName = name;
        return this;
    }

    private boolean recovered;

    /** The upload was found whole in the queue at a server's start (the log says so instead of naming the token). */
    public ProcessUpload recovered(boolean yes) {
        this.recovered = yes;
        return this;
    }

    public Result call() {
        IncomingQueue queue = ppa.incoming();
        Path dir = queue.directory(archive, tokenName); // the files this uploader sent, and no one else's
        Archive a = ppa.metadata().read(tx -> Lookup.archive(tx, archive));
        Set<String> files = new LinkedHashSet<>();
        files.add(changesName);
        Changes changes = null;
        String signer = null;
        try {
            String text;
            try {
                text = ControlText.read(dir.resolve(changesName));
            } catch (MalformedInputException e) {
                throw reject(ArchiveException.Kind.INVALID, changesName + " is not UTF-8 text");
            } catch (FormatException e) {
                throw reject(ArchiveException.Kind.TOO_LARGE, e.getMessage());
            }
            try {
                changes = Changes.parse(text, changesName);
            } catch (FormatException e) {
                throw reject(ArchiveException.Kind.INVALID, e.getMessage());
            }
            changes.files().forEach(f -> files.add(f.name()));
            queue.gather(archive, tokenName, files); // sent to other servers behind the same name
            List<Uploader> uploaders = ppa.metadata().read(tx -> tx.uploaders(a.id()));
            if (uploaders.isEmpty()) {
                throw reject(
                        ArchiveException.Kind.FORBIDDEN,
                        "Archive " + a.name() + " has no uploaders: add a key with 'ppa uploader add " + a.name()
                                + " KEYFILE'");
            }
            List<PGPPublicKeyRing> keyring = uploaders.stream()
                    .map(u -> OpenPgp.readPublicRing(u.publicKey()))
                    .toList();
            String keyringName = "an uploader of " + a.name();
            Date now = Date.from(ppa.clock().instant());
            SignatureCheck.Signer key = verify(text, changesName, keyring, keyringName, now);
            signer = key.fingerprint();
            String uploadedBy = (key.userId() == null ? "" : key.userId() + " ") + "(" + key.fingerprint() + ")"
                    + (recovered || tokenName == null ? "" : " with token '" + tokenName + "'");
            if (changes.distributions().size() != 1) {
                throw reject(
                        ArchiveException.Kind.INVALID,
                        changesName + " names "
                                + (changes.distributions().isEmpty()
                                        ? "no"
                                        : changes.distributions().size())
                                + " distributions: an upload goes to exactly one series of " + a.name());
            }
            String series = changes.distributions().get(0);
            if (!a.hasSeries(series)) {
                throw reject(
                        ArchiveException.Kind.INVALID,
                        "Distribution " + series + " in " + changesName + " is not a series of " + a.name()
                                + " (its series: " + String.join(", ", a.series()) + ")");
            }
            Changes ch = changes;
            if (ch.files().stream()
                    .anyMatch(f -> f.name().endsWith(".dsc"))) { // a source upload must bring a new version
                Version current = ppa.metadata()
                        .read(tx -> tx.publishedSources(a.id(), series, List.of(ch.source())).stream()
                                .map(p -> p.version())
                                .findFirst()
                                .orElse(null));
                if (current != null && ch.version().compareTo(current) == 0) {
                    throw reject(
                            ArchiveException.Kind.REFUSED,
                            "Version " + ch.version() + " of " + ch.source() + " is not newer than " + current + " in "
                                    + a.name() + "/" + series + ": upload a new version");
                }
            }
            for (ListedFile f : changes.files()) {
                Path p = dir.resolve(f.name());
                if (!Files.isRegularFile(p)) {
                    throw reject(
                            ArchiveException.Kind.INVALID,
                            "File " + f.name() + " listed in " + changesName + " was not uploaded");
                }
                String problem = mismatch(f, Checksums.of(p));
                if (problem != null) {
                    throw reject(ArchiveException.Kind.INVALID, "File " + f.name() + " has " + problem);
                }
                if (f.name().endsWith(".dsc")) {
                    String dscText;
                    try {
                        dscText = ControlText.read(p);
                    } catch (FormatException e) {
                        throw reject(ArchiveException.Kind.TOO_LARGE, e.getMessage());
                    }
                    verify(dscText, f.name(), keyring, keyringName, now);
                }
            }
            Changes c = changes;
            String by = signer;
            Include.Result published;
            try {
                // The log entry commits with the publication: a crash cannot leave one without the other.
                published = ppa.include()
                        .archive(a.name())
                        .series(series)
                        .files(List.of(dir.resolve(changesName)))
                        .origin(origin == null ? "upload" : origin)
                        .by(uploadedBy)
                        .alsoInTransaction(tx -> tx.insertUpload(a.id(), record(a, c, by, UploadRecord.ACCEPTED, null)))
                        .call();
            } catch (OlderVersion e) { // Include's rule, in the words the big archives use
                throw reject(
                        ArchiveException.Kind.REFUSED,
                        "Version " + e.version() + " of " + e.source() + " is older than " + e.published() + " in "
                                + e.where());
            } catch (ArchiveException e) {
                throw reject(e.kind(), e.getMessage().replace(dir + "/", ""));
            }
            return new Result(
                    a.name(), series, changesName, c.source(), c.version().toString(), signer, published);
        } catch (UploadRejected e) {
            log(a, changes, signer, UploadRecord.REJECTED, e.getMessage());
            throw new UploadRejected(e.kind(), e.getMessage(), report(a, changes, signer, e.getMessage(), files));
        } catch (IOException e) {
            log(a, changes, signer, UploadRecord.REJECTED, "I/O error: " + e.getMessage());
            throw new ArchiveException(
                    ArchiveException.Kind.IO, "processing " + changesName + ": " + e.getMessage(), e);
        } finally {
            try {
                queue.remove(archive, tokenName, files);
            } catch (IOException e) {
                // the sweep removes them later
            }
        }
    }

    private SignatureCheck.Signer verify(
            String text, String what, List<PGPPublicKeyRing> keyring, String keyringName, Date now) {
        try {
            return SignatureCheck.verify(text, what, keyring, keyringName, now);
        } catch (SignatureCheck.Problem p) {
            throw reject(
                    p.kind() == SignatureCheck.Problem.Kind.MALFORMED
                            ? ArchiveException.Kind.INVALID
                            : ArchiveException.Kind.FORBIDDEN,
                    p.getMessage());
        }
    }

    /** How an uploaded file differs from its entry in the .changes, in an upload report's words, or null. */
    private String mismatch(ListedFile f, Checksums actual) {
        ListedFile.Difference d = f.difference(actual);
        if (d == null) {
            return null;
        }
        return d.what().equals("size")
                ? "the wrong size: " + d.actual() + " bytes uploaded, " + d.listed() + " listed in " + changesName
                : "a " + d.what() + " mismatch: " + changesName + " lists " + d.listed() + ", the uploaded file has "
                        + d.actual();
    }

    private static UploadRejected reject(ArchiveException.Kind kind, String reason) {
        return new UploadRejected(kind, reason, reason);
    }

    private UploadRecord record(Archive a, Changes c, String signer, String status, String reason) {
        return new UploadRecord(
                0,
                a.name(),
                changesName,
                c == null ? null : c.source(),
                c == null ? null : c.version().toString(),
                c == null || c.distributions().isEmpty() ? null : String.join(" ", c.distributions()),
                signer,
                tokenName == null || recovered ? RECOVERED : tokenName,
                status,
                reason,
                ppa.clock().instant(),
                c == null ? null : c.urgency());
    }

    /** The token name logged for an upload found whole in the queue at a server's start (its sender is unknown). */
    public static final String RECOVERED = "(found in the queue at start)";

    /**
     * Logs a rejection (an acceptance is logged in the include's own transaction). The log holds every upload: when
     * it cannot be written (a store busy past its timeout, three tries), the caller hears so instead of a silent gap.
     */
    private void log(Archive a, Changes c, String signer, String status, String reason) {
        ArchiveException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                ppa.metadata().write(tx -> {
                    tx.insertUpload(a.id(), record(a, c, signer, status, reason));
                    return null;
                });
                return;
            } catch (ArchiveException e) {
                last = e;
            }
        }
        throw new ArchiveException(
                ArchiveException.Kind.IO,
                "the upload was " + status + " (" + reason + "), but the upload log " + "could not record it: "
                        + last.getMessage(),
                last);
    }

    private String report(Archive a, Changes c, String signer, String reason, Set<String> files) {
        List<String> lines = new ArrayList<>();
        lines.add("Rejected: " + changesName + " for archive " + a.name());
        lines.add("Reason: " + reason);
        if (c != null) {
            lines.add("Source: " + c.source() + " " + c.version() + ", Distribution: "
                    + String.join(" ", c.distributions()));
        }
        lines.add("Signed by: " + (signer == null ? "(no accepted signature)" : signer));
        lines.add("Files: " + String.join(" ", files));
        lines.add("Nothing from this upload reached the archive; its files were removed from the incoming queue.");
        return String.join("\n", lines) + "\n";
    }
}
