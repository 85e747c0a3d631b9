package org.ppaforge.archive.verb;

import org.ppaforge.archive.ArchiveException;
import org.ppaforge.archive.Caller;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.archive.model.Archive;
import org.ppaforge.archive.model.SourcePublication;
import org.ppaforge.archive.model.Status;

/** Deletes a published source and its binaries from an archive series, recording who, when and why. */
public final class Remove {
    private final Ppaforge ppa;
    private Caller caller = Caller.OPERATOR;
    private String who; // the caller as the history names it, resolved before the transaction
    private String archive;
    private String source;
    private String series;
    private String reason;

    public Remove(Ppaforge ppa) {
        this.ppa = ppa;
    }

    /** Who calls (default: the local operator); the verb decides what it may do. */
    public Remove caller(Caller caller) {
        this.caller = caller;
        return this;
    }

    public Remove archive(String archive) {
        this.archive = archive;
        return this;
    }

    /** {@code NAME} or {@code NAME=VERSION} (then it must be the published version). */
    public Remove source(String spec) {
        this.source = spec;
        return this;
    }

    public Remove series(String series) {
        this.series = series;
        return this;
    }

    public Remove reason(String reason) {
        this.reason = reason;
        return this;
    }

    public record Result(String archive, String series, String source, String version, int binaries) {}

    public Result call() {
        caller.write(ppa, archive);
        who = caller.who(ppa);
        if (reason == null || reason.isBlank()) {
            throw ArchiveException.invalid("a removal needs a reason (it is kept in the history)");
        }
        Result result = ppa.metadata().write(tx -> {
            Archive a = Lookup.archive(tx, archive);
            String s = Lookup.series(a, series);
            SourcePublication p = Copy.find(tx.sources(a.id(), s, false), source, a.name() + "/" + s);
            int binaries = (int) tx.binariesOf(p.id()).stream()
                    .filter(b -> b.status() == Status.PUBLISHED)
                    .count();
            // A superseded version may still have binaries published (not replaced by newer ones yet): those go.
            if (p.status() != Status.PUBLISHED && binaries == 0) {
                throw ArchiveException.notFound(p.name() + " " + p.version() + " is not published in " + a.name() + "/"
                        + s + " (it is " + p.status().sql() + ")");
            }
            tx.deleteSource(p.id(), who, reason, ppa.clock().instant());
            return new Result(a.name(), s, p.name(), p.version().toString(), binaries);
        });
        ppa.changed(result.archive());
        return result;
    }
}
