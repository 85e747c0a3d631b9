package org.ppaforge.archive.verb;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.archive.model.Archive;
import org.ppaforge.archive.model.SourcePublication;
import org.ppaforge.archive.model.Status;
import org.ppaforge.archive.store.IndexRows;

/**
 * A source's packages in an archive, newest publication first: each version's {@code .dsc} fields and its files (name,
 * size, SHA-256), as the pool holds them. For pages that show a package (the web interface).
 */
public final class ShowSource {
    private final Ppaforge ppa;
    private String archive;
    private String source;

    public ShowSource(Ppaforge ppa) {
        this.ppa = ppa;
    }

    public ShowSource archive(String archive) {
        this.archive = archive;
        return this;
    }

    public ShowSource source(String source) {
        this.source = source;
        return this;
    }

    /** One version of the source: {@code stanza} is null when only its binaries are known (no .dsc). */
    public record Version(
            String version,
            String series,
            String component,
            String status,
            String stanza,
            String dsc,
            List<IndexRows.File> files,
            List<BinaryFile> binaries) {}

    /**
     * A binary package of that version: its pool file, its content's SHA-256 and size (-1 when the pool no longer holds
     * it), and its control stanza as the archive publishes it (empty for binaries no longer published).
     */
    public record BinaryFile(
            String name,
            String version,
            String architecture,
            String status,
            String filename,
            String sha256,
            long size,
            String control) {}

    private long size(String sha256) {
        Path f = ppa.blobs().localPath(sha256);
        try {
            return f == null ? -1 : Files.size(f);
        } catch (IOException e) {
            return -1;
        }
    }

    public List<Version> call() {
        return ppa.metadata().read(tx -> {
            Archive a = Lookup.archive(tx, archive);
            List<SourcePublication> all = Lookup.history(tx, a, source);
            Map<Long, IndexRows.SourceDetail> details = tx.sourceDetails(
                    all.stream().map(SourcePublication::sourceId).distinct().toList());
            List<Version> out = new ArrayList<>();
            for (int i = all.size() - 1; i >= 0; i--) { // newest first
                SourcePublication p = all.get(i);
                IndexRows.SourceDetail d = details.get(p.sourceId());
                var ofPublication = tx.binariesOf(p.id());
                // Control stanzas only of what is published: a long history's old binaries cost nothing per view.
                Map<Long, String> controls = tx.binaryControls(ofPublication.stream()
                        .filter(b -> b.status() == Status.PUBLISHED)
                        .map(b -> b.binaryId())
                        .distinct()
                        .toList());
                List<BinaryFile> binaries = new ArrayList<>();
                for (var b : ofPublication) {
                    binaries.add(new BinaryFile(
                            b.name(),
                            b.version().toString(),
                            b.architecture(),
                            b.status().sql(),
                            b.filename(),
                            b.sha256(),
                            size(b.sha256()),
                            controls.getOrDefault(b.binaryId(), "")));
                }
                out.add(new Version(
                        p.version().toString(),
                        p.series(),
                        p.component(),
                        p.status().sql(),
                        d == null ? null : d.stanza(),
                        d == null ? null : d.dscFilename(),
                        d == null ? List.of() : d.files(),
                        binaries));
            }
            return out;
        });
    }
}
