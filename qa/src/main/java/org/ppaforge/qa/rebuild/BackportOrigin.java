package org.ppaforge.qa.rebuild;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ppaforge.archive.Caller;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.archive.model.Archive;
import org.ppaforge.archive.model.SourcePublication;
import org.ppaforge.archive.remote.AptRepository;
import org.ppaforge.archive.signing.OpenPgp;
import org.ppaforge.archive.store.IndexRows;
import org.ppaforge.common.ForgeException;
import org.ppaforge.debian.control.Deb822Reader;
import org.ppaforge.debian.control.Stanza;

/**
 * Where a backport takes its sources from: an apt repository ({@code deb-src URL SUITE COMPONENT}, checked against its
 * key) or an archive of this ppaforge ({@code ARCHIVE[/SERIES]}). Both give Sources-style stanzas (Package, Version,
 * Build-Depends ...), the binaries for the target's architectures, and a source's files with its .dsc.
 */
interface BackportOrigin {
    /** How the changelog and history name it. */
    String label();

    /** Every source there (all versions an index lists). */
    List<Stanza> sources();

    /** Its binaries for these architectures (and {@code all}). */
    List<Stanza> binaries(List<String> archs) throws IOException, InterruptedException;

    /** The files of this source (a stanza of {@link #sources}) fetched into {@code into}, checked. */
    AptSource.Fetched fetch(Stanza source, Path into) throws IOException, InterruptedException;

    /** The origin {@code from} names, opened (an apt repository's InRelease and Sources are read and checked). */
    static BackportOrigin open(Ppaforge ppa, Caller caller, String from, String key, Path work)
            throws IOException, InterruptedException {
        if (from != null && AptSource.Spec.is(from.strip())) {
            AptSource.Spec spec;
            try {
                spec = AptSource.Spec.parse(from);
            } catch (IllegalArgumentException e) {
                throw ForgeException.invalid(e.getMessage());
            }
            if (key == null || key.isBlank()) {
                throw ForgeException.invalid(
                        "a backport from an apt repository needs the key its InRelease is signed with (--from-key FILE)");
            }
            AptRepository repo = AptRepository.open(
                    AptSource.HTTP,
                    spec.url(),
                    spec.suite(),
                    OpenPgp.readPublicRings(key.getBytes(StandardCharsets.US_ASCII), "the key of " + spec.url()),
                    work);
            return new Apt(repo, spec, repo.index(spec.component() + "/source/Sources", work), work);
        }
        String[] w = (from == null ? "" : from.strip()).split("/", 2);
        Archive a = ppa.listArchives().caller(caller).call().stream()
                .map(x -> x.archive())
                .filter(x -> x.name().equals(w[0]))
                .findFirst()
                .orElseThrow(() -> ForgeException.invalid("--from is 'deb-src URL SUITE COMPONENT' or ARCHIVE[/SERIES] "
                        + "of this server, not '" + from + "'"));
        String series =
                w.length > 1 ? w[1] : a.series().size() == 1 ? a.series().get(0) : null;
        if (series == null || !a.hasSeries(series)) {
            throw ForgeException.invalid("name the series of archive '" + a.name() + "' to backport from ("
                    + String.join(", ", a.series()) + "): --from " + a.name() + "/SERIES");
        }
        return new Local(ppa, a, series);
    }

    /** An apt repository. */
    final class Apt implements BackportOrigin {
        private final AptRepository repo;
        private final AptSource.Spec spec;
        private final List<Stanza> sources;
        private final Path work;

        Apt(AptRepository repo, AptSource.Spec spec, List<Stanza> sources, Path work) {
            this.repo = repo;
            this.spec = spec;
            this.sources = sources;
            this.work = work;
        }

        @Override
        public String label() {
            return "deb-src " + spec.url() + " " + spec.suite() + " " + spec.component();
        }

        @Override
        public List<Stanza> sources() {
            return sources;
        }

        @Override
        public List<Stanza> binaries(List<String> archs) throws IOException, InterruptedException {
            List<Stanza> out = new ArrayList<>();
            for (String arch : archs) {
                String base = spec.component() + "/binary-" + arch + "/Packages";
                if (repo.hasIndex(base)) {
                    out.addAll(repo.index(base, work));
                }
            }
            return out;
        }

        @Override
        public AptSource.Fetched fetch(Stanza source, Path into) throws IOException, InterruptedException {
            return AptSource.files(repo, source, into);
        }
    }

    /** An archive of this ppaforge: its published sources (with their .dsc) and binaries in one series. */
    final class Local implements BackportOrigin {
        private final Ppaforge ppa;
        private final Archive archive;
        private final String series;

        Local(Ppaforge ppa, Archive archive, String series) {
            this.ppa = ppa;
            this.archive = archive;
            this.series = series;
        }

        @Override
        public String label() {
            return "archive " + archive.name() + "/" + series;
        }

        @Override
        public List<Stanza> sources() {
            return ppa.metadata().read(tx -> {
                List<SourcePublication> pubs = tx.sources(archive.id(), series, true).stream()
                        .filter(SourcePublication::hasDsc)
                        .toList();
                Map<Long, IndexRows.SourceDetail> details = tx.sourceDetails(
                        pubs.stream().map(SourcePublication::sourceId).toList());
                List<Stanza> out = new ArrayList<>();
                for (SourcePublication p : pubs) {
                    IndexRows.SourceDetail d = details.get(p.sourceId());
                    if (d != null) {
                        out.add(Deb822Reader.parseSingle(d.stanza(), d.dscFilename()).toBuilder()
                                .set("Package", p.name())
                                .build());
                    }
                }
                return out;
            });
        }

        @Override
        public List<Stanza> binaries(List<String> archs) {
            return ppa.metadata().read(tx -> TargetView.published(tx, archive, series, archs));
        }

        @Override
        public AptSource.Fetched fetch(Stanza source, Path into) throws IOException {
            var v = RebuildSource.published(ppa, archive.name(), series, source.get("Package"));
            return new AptSource.Fetched(RebuildSource.fromPool(ppa, v, into), v.version());
        }
    }
}
