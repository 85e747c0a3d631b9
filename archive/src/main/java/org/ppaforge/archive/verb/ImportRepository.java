package org.ppaforge.archive.verb;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.ppaforge.archive.ArchiveException;
import org.ppaforge.archive.Caller;
import org.ppaforge.archive.FileTrees;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.archive.Progress;
import org.ppaforge.archive.model.Archive;
import org.ppaforge.archive.remote.AptRepository;
import org.ppaforge.archive.remote.Download;
import org.ppaforge.archive.remote.RemoteException;
import org.ppaforge.archive.signing.OpenPgp;
import org.ppaforge.common.Names;
import org.ppaforge.debian.FormatException;

/**
 * {@code ppa import}: an existing apt repository (a reprepro or aptly tree, a Launchpad PPA, a distribution's suite
 * filtered to some packages) brought into an archive series. The InRelease is checked against the key given, every
 * index against the InRelease and every file against its index; versions are kept exactly (an older one replaces a
 * newer one if that is what the repository has). Files are fetched into a working directory kept until the import
 * ends, so running the same command again after an interrupt fetches only what is missing; each component is then
 * included in one transaction. {@link #update} brings what changed since an earlier import, and with {@link
 * #removeMissing} removes what the repository no longer has.
 */
public final class ImportRepository {
    private final Ppaforge ppa;
    private Caller caller = Caller.OPERATOR;
    private String from;
    private String key;
    private boolean ignoreSignature;
    private String into;
    private String series;
    private Set<String> packages = Set.of();
    private boolean withSources;
    private boolean update;
    private boolean removeMissing;
    private boolean dryRun;
    private Progress progress = Progress.NONE;
    private int threads = 4;
    private final Download http = new Download();

    public ImportRepository(Ppaforge ppa) {
        this.ppa = ppa;
    }

    public ImportRepository caller(Caller caller) {
        this.caller = caller;
        return this;
    }

    /** {@code deb URL SUITE [COMPONENT...]}: the components default to those of the Release the archive has. */
    public ImportRepository from(String spec) {
        this.from = spec;
        return this;
    }

    /** The key (armoured) the repository's InRelease must be signed with. */
    public ImportRepository key(String armoured) {
        this.key = armoured;
        return this;
    }

    /** Imports without checking the InRelease's signature (its hashes, and every file's, are still checked). */
    public ImportRepository ignoreSignature(boolean yes) {
        this.ignoreSignature = yes;
        return this;
    }

    public ImportRepository into(String archive) {
        this.into = archive;
        return this;
    }

    /** The target series (default: the repository's Codename, when the archive has it). */
    public ImportRepository series(String series) {
        this.series = series;
        return this;
    }

    /** Only these packages: a binary package's name or a source's name (all of its binaries). */
    public ImportRepository packages(Collection<String> names) {
        this.packages = names == null ? Set.of() : Set.copyOf(names);
        return this;
    }

    /** Also the source packages (the component's Sources). */
    public ImportRepository withSources(boolean yes) {
        this.withSources = yes;
        return this;
    }

    /** The series already holds packages (an earlier import): bring what changed since. */
    public ImportRepository update(boolean yes) {
        this.update = yes;
        return this;
    }

    /** With {@link #update}: remove the sources the repository no longer has (of those the import selects). */
    public ImportRepository removeMissing(boolean yes) {
        this.removeMissing = yes;
        return this;
    }

    public ImportRepository dryRun(boolean yes) {
        this.dryRun = yes;
        return this;
    }

    public ImportRepository progress(Progress progress) {
        this.progress = progress == null ? Progress.NONE : progress;
        return this;
    }

    /** Downloads at once (default 4). */
    public ImportRepository threads(int n) {
        this.threads = Math.max(1, Math.min(16, n));
        return this;
    }

    /**
     * What the import did (or, with a dry run, would do): the repository's entries it selected ({@code listed}), those
     * the archive already had ({@code unchanged}), the files fetched and their bytes, what it published (name, version,
     * architecture or "source"), the sources it removed, and what the archive's rules skipped, with the reason.
     */
    public record Result(
            String archive,
            String series,
            String from,
            String signedBy,
            int listed,
            int unchanged,
            int fetched,
            long fetchedBytes,
            List<String> published,
            List<String> removed,
            List<String> skipped) {}

    /** {@code deb URL SUITE [COMPONENT...]}, parsed. */
    record Spec(String url, String suite, List<String> components) {
        static Spec parse(String text) {
            String[] f = (text == null ? "" : text)
                    .strip()
                    .replaceFirst("^deb(-src)?\\s+", "")
                    .split("\\s+");
            if (f.length < 2
                    || !f[0].matches("https?://[^\\s]+")
                    || !f[1].matches("[A-Za-z0-9._-][A-Za-z0-9._/-]*")
                    || f[1].contains("..")) {
                throw ArchiveException.invalid("a repository is 'deb URL SUITE [COMPONENT...]' with an http(s) URL, "
                        + "not '" + text + "' (flat repositories, 'deb URL ./', are not supported)");
            }
            List<String> components = new ArrayList<>();
            for (int i = 2; i < f.length; i++) {
                if (!f[i].matches("[A-Za-z0-9][A-Za-z0-9._+-]{0,62}")) {
                    throw ArchiveException.invalid("'" + f[i] + "' is not a component name (in '" + text + "')");
                }
                components.add(f[i]);
            }
            return new Spec(f[0].replaceAll("/+$", ""), f[1], List.copyOf(components));
        }

        String label() {
            return "deb " + url + " " + suite + (components.isEmpty() ? "" : " " + String.join(" ", components));
        }
    }

    public Result call() throws IOException, InterruptedException {
        if (dryRun) {
            caller.read(ppa, into);
        } else {
            caller.write(ppa, into);
        }
        Spec spec = Spec.parse(from);
        if (removeMissing && !update) {
            throw ArchiveException.invalid("removing what the repository no longer has goes with --update");
        }
        for (String p : packages) {
            if (!Names.is(Names.PACKAGE, p)) {
                throw ArchiveException.invalid("'" + p + "' is not a package name");
            }
        }
        List<PGPPublicKeyRing> keyring = null;
        if (key != null && !key.isBlank()) {
            keyring =
                    OpenPgp.readPublicRings(key.getBytes(StandardCharsets.US_ASCII), "the key given for " + spec.url());
        } else if (!ignoreSignature) {
            throw ArchiveException.invalid("give the key the repository's InRelease is signed with (--key FILE), or "
                    + "import without checking its signature (--ignore-signature)");
        }
        Archive target = ppa.metadata().read(tx -> Lookup.archive(tx, into));
        Path work = Files.createDirectories(ppa.workDirectory()
                .resolve("import-"
                        + CreateToken.sha256(spec.url() + " " + spec.suite() + " " + target.name())
                                .substring(0, 16)));
        AptRepository repo;
        try {
            repo = AptRepository.open(http, spec.url(), spec.suite(), keyring, work);
        } catch (RemoteException e) {
            throw ArchiveException.refused(e.getMessage());
        }
        String targetSeries = series != null ? series : repo.codename();
        if (!target.hasSeries(targetSeries)) {
            throw ArchiveException.notFound(
                    "archive '" + target.name() + "' does not publish for series '" + targetSeries
                            + "' (its series: " + String.join(", ", target.series()) + ")"
                            + (series == null ? "; name the target with --series" : ""));
        }
        // Named components must all be the archive's; by default, those of the Release that the archive has.
        List<String> components = spec.components().isEmpty()
                ? repo.components().stream()
                        .filter(target.components()::contains)
                        .toList()
                : spec.components();
        if (components.isEmpty()) {
            throw ArchiveException.invalid(spec.label() + ": its InRelease lists none of archive '" + target.name()
                    + "''s components (" + String.join(", ", target.components()) + "; it lists "
                    + String.join(", ", repo.components()) + "); name the components to import after the suite");
        }
        for (String c : components) {
            if (!target.components().contains(c)) {
                throw ArchiveException.notFound("archive '" + target.name() + "' has no component '" + c
                        + "' (its components: " + String.join(", ", target.components()) + ")");
            }
        }
        List<String> archs = target.architectures().stream()
                .filter(a ->
                        repo.architectures().isEmpty() || repo.architectures().contains(a))
                .toList();
        if (archs.isEmpty()) {
            throw ArchiveException.invalid(spec.label() + " has none of the architectures archive '" + target.name()
                    + "' builds (" + String.join(", ", target.architectures()) + "; it has "
                    + String.join(", ", repo.architectures()) + ")");
        }

        // Before any index is fetched: a series that has packages takes an update only.
        if (!update) {
            long there = ppa.metadata()
                    .read(tx -> tx.sources(target.id(), targetSeries, true).stream()
                            .filter(p -> components.contains(p.component()))
                            .count());
            if (there > 0) {
                throw ArchiveException.refused(target.name() + "/" + targetSeries + " already publishes " + there
                        + " source(s) in " + String.join(", ", components) + "; --update brings what changed in the "
                        + "repository since an earlier import");
            }
        }
        List<ImportPlan> plans = new ArrayList<>();
        try {
            for (String c : components) {
                plans.add(ImportPlan.of(
                        ppa,
                        repo,
                        target,
                        targetSeries,
                        c,
                        archs,
                        work,
                        packages,
                        withSources,
                        update && removeMissing));
            }
        } catch (RemoteException e) {
            throw ArchiveException.refused(e.getMessage());
        } catch (FormatException e) {
            throw ArchiveException.refused(spec.label() + ": " + e.getMessage());
        }
        int listed = plans.stream().mapToInt(p -> p.listed).sum();
        int unchanged = plans.stream().mapToInt(p -> p.unchanged).sum();
        List<ImportPlan.Wanted> fetch =
                plans.stream().flatMap(p -> p.fetch.stream()).toList();
        long bytes = fetch.stream().mapToLong(ImportPlan.Wanted::size).sum();
        String signedBy = repo.signer() == null
                ? null
                : repo.signer().userId() + " (" + repo.signer().fingerprint() + ")";
        List<String> published = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        if (dryRun) {
            plans.forEach(p -> published.addAll(p.publish));
            plans.forEach(p -> removed.addAll(p.removeSources));
        } else {
            apply(repo, spec, target, targetSeries, plans, fetch, published, skipped, removed);
            FileTrees.delete(work);
        }
        return new Result(
                target.name(),
                targetSeries,
                spec.label(),
                signedBy,
                listed,
                unchanged,
                fetch.size(),
                bytes,
                published,
                removed,
                skipped);
    }

    /** Fetches, then includes and removes each component's plan, collecting what it did. */
    private void apply(
            AptRepository repo,
            Spec spec,
            Archive target,
            String targetSeries,
            List<ImportPlan> plans,
            List<ImportPlan.Wanted> fetch,
            List<String> published,
            List<String> skipped,
            List<String> removed)
            throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        fetchAll(repo, fetch);
        ppa.diagnostics().timing("import timings: fetch", (System.nanoTime() - t0) / 1e9);
        for (ImportPlan p : plans) {
            if (!p.include.isEmpty()) {
                Include.Result r = ppa.include()
                        .caller(caller)
                        .archive(target.name())
                        .series(targetSeries)
                        .component(p.component)
                        .files(p.include)
                        .allowDowngrade(true)
                        .skipRefused(true)
                        .origin("import from " + spec.label())
                        .progress(progress)
                        .call();
                published.addAll(r.publishedBinaries());
                published.addAll(r.publishedSources().stream()
                        .map(s -> s + " source")
                        .filter(p.sources::contains)
                        .toList());
                skipped.addAll(r.skipped());
            }
            for (String name : p.removeSources) {
                ppa.remove()
                        .caller(caller)
                        .archive(target.name())
                        .series(targetSeries)
                        .source(name)
                        .reason("gone from " + spec.label())
                        .call();
                removed.add(name);
            }
        }
    }

    private void fetchAll(AptRepository repo, List<ImportPlan.Wanted> fetch) throws IOException, InterruptedException {
        if (fetch.isEmpty()) {
            return;
        }
        AtomicLong done = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, fetch.size()));
        try {
            List<Future<Path>> futures = new ArrayList<>();
            for (ImportPlan.Wanted w : fetch) {
                futures.add(pool.submit(() -> {
                    Path p = repo.file(w.path(), w.size(), w.sha256(), w.local());
                    progress.update("fetching", done.incrementAndGet(), fetch.size());
                    return p;
                }));
            }
            for (Future<Path> f : futures) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof RemoteException r) {
                        throw ArchiveException.refused(r.getMessage());
                    }
                    if (e.getCause() instanceof IOException io) {
                        throw io;
                    }
                    if (e.getCause() instanceof RuntimeException r) {
                        throw r;
                    }
                    throw new IOException(e.getCause());
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
