package org.ppaforge.archive.verb;

import java.time.Instant;
import java.util.List;
import org.ppaforge.archive.Caller;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.archive.model.Archive;
import org.ppaforge.archive.model.SourcePublication;

/** Every publication of a source in an archive, oldest first, with status, dates and binaries. */
public final class History {
    private final Ppaforge ppa;
    private Caller caller = Caller.OPERATOR;
    private String archive;
    private String source;

    public History(Ppaforge ppa) {
        this.ppa = ppa;
    }

    /** Who calls (default: the local operator); the verb decides what it may do. */
    public History caller(Caller caller) {
        this.caller = caller;
        return this;
    }

    public History archive(String archive) {
        this.archive = archive;
        return this;
    }

    public History source(String source) {
        this.source = source;
        return this;
    }

    public record Entry(
            String series,
            String component,
            String version,
            String status,
            String origin,
            Instant created,
            String createdBy,
            Instant superseded,
            Instant deleted,
            String deletedBy,
            String deletedReason,
            List<String> binaries) {}

    public List<Entry> call() {
        caller.read(ppa, archive);
        return ppa.metadata().read(tx -> {
            Archive a = Lookup.archive(tx, archive);
            List<SourcePublication> all = Lookup.history(tx, a, source);
            return all.stream()
                    .map(p -> new Entry(
                            p.series(),
                            p.component(),
                            p.version().toString(),
                            p.status().sql(),
                            p.origin(),
                            p.createdAt(),
                            p.createdBy(),
                            p.supersededAt(),
                            p.deletedAt(),
                            p.deletedBy(),
                            p.deletedReason(),
                            tx.binariesOf(p.id()).stream()
                                    .map(b -> b.name() + " " + b.version() + " " + b.architecture() + " ("
                                            + b.status().sql() + ")")
                                    .toList()))
                    .toList();
        });
    }
}
