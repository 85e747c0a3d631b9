package org.ppaforge.qa.rebuild;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.ppaforge.archive.Caller;
import org.ppaforge.archive.FileTrees;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.archive.model.SourcePublication;
import org.ppaforge.archive.signing.OpenPgp;
import org.ppaforge.archive.signing.ReleaseSigner;
import org.ppaforge.archive.verb.Publish;
import org.ppaforge.common.ForgeException;
import org.ppaforge.common.Names;
import org.ppaforge.debian.FormatException;
import org.ppaforge.debian.Version;
import org.ppaforge.debian.control.Stanza;
import org.ppaforge.debian.relation.PackageSet;
import org.ppaforge.debian.series.BackportVersion;
import org.ppaforge.debian.series.DistroInfo;
import org.ppaforge.farm.Builds;

/**
 * {@code ppa backport}: a source from an apt repository (its InRelease checked against the key given, its Sources entry
 * and every file against their sizes and SHA-256, as rebuild sets fetch them), given a changelog entry with the
 * backport's version and where it came from, packed again with dpkg-source and included into the target archive and
 * series, where the build farm builds it. The version follows the target's convention ({@link BackportVersion}); a
 * dry run says which version it would be and changes nothing.
 */
public final class CreateBackport {
    private final Ppaforge ppa;
    private final Caller caller;
    private String source;
    private String sourceVersion;
    private String from;
    private String fromKey;
    private String to;
    private String series;
    private String template;
    private boolean dryRun;
    private boolean withBuildDeps;
    private boolean withDepends;
    private final Builds builds;

    CreateBackport(Ppaforge ppa, Builds builds, Caller caller) {
        this.ppa = ppa;
        this.builds = builds;
        this.caller = caller;
    }

    /** {@code NAME} (its newest version there) or {@code NAME=VERSION}. */
    public CreateBackport source(String spec) {
        int eq = spec == null ? -1 : spec.indexOf('=');
        this.source = eq < 0 ? spec : spec.substring(0, eq);
        this.sourceVersion = eq < 0 ? null : spec.substring(eq + 1);
        return this;
    }

    /** {@code deb-src URL SUITE COMPONENT}. */
    public CreateBackport from(String spec) {
        this.from = spec;
        return this;
    }

    /** The repository's signing key, ASCII-armoured. */
    public CreateBackport fromKey(String armoured) {
        this.fromKey = armoured;
        return this;
    }

    public CreateBackport to(String archive) {
        this.to = archive;
        return this;
    }

    public CreateBackport series(String series) {
        this.series = series;
        return this;
    }

    /** A version suffix template ({@code ~ppa{n}}); default: the target distribution's style. */
    public CreateBackport versionSuffix(String template) {
        this.template = template;
        return this;
    }

    public CreateBackport dryRun(boolean yes) {
        this.dryRun = yes;
        return this;
    }

    private String signKey;

    /**
     * Sign the backport's .dsc with this secret key (armoured; unlocked with {@code PPAFORGE_KEY_PASSPHRASE} if it is
     * protected) instead of the target archive's key. It stays on this machine: backports run on the server's machine.
     */
    public CreateBackport signKey(String armouredSecret) {
        this.signKey = armouredSecret == null || armouredSecret.isBlank() ? null : armouredSecret;
        return this;
    }

    /** Also backport, recursively, each build-dependency the target cannot satisfy that the origin has. */
    public CreateBackport withBuildDeps(boolean yes) {
        this.withBuildDeps = yes;
        return this;
    }

    /** Also check (and, with {@link #withBuildDeps}, take along) what the source's binaries need to install. */
    public CreateBackport withDepends(boolean yes) {
        this.withDepends = yes;
        return this;
    }

    /**
     * What was (or would be) backported: the source asked for (the version it came from, the backport's, the .dsc
     * included), and the whole plan in build order (the source asked for last), with what nothing satisfies and the
     * cycles found.
     */
    public record Result(
            String source,
            String from,
            String version,
            String backportVersion,
            String series,
            String dsc,
            List<BackportPlan.Step> plan,
            List<String> unsatisfied,
            List<String> cycles) {}

    public Result call() throws IOException, InterruptedException {
        if (!Names.is(Names.PACKAGE, source)) {
            throw ForgeException.invalid(
                    "a source package name is lower case letters, digits, '+', '-' and '.', not '" + source + "'");
        }
        Version wanted;
        try {
            wanted = sourceVersion == null ? null : Version.parse(sourceVersion);
        } catch (FormatException e) {
            throw ForgeException.invalid("'" + sourceVersion + "' is not a version: " + e.getMessage());
        }
        if (dryRun) {
            caller.read(ppa, to);
        } else {
            caller.write(ppa, to);
        }
        // The target's series (refused when it has none of that name) and what it publishes now.
        Map<String, Version> targetHas = new HashMap<>();
        ppa.list().archive(to).series(series).call().stream()
                .filter(e -> !e.superseded())
                .forEach(e -> targetHas.put(e.source(), Version.parse(e.version())));
        List<String> archs = ppa.listArchives().name(to).call().get(0).archive().architectures();
        DistroInfo.Release release = DistroInfo.system().release(series).orElse(null);
        String suffix = template != null
                ? template
                : release == null ? null : BackportVersion.Style.of(release).template();
        if (suffix == null) {
            throw ForgeException.invalid("series " + series + " is not a Debian or Ubuntu release distro-info-data "
                    + "knows: give the version suffix (--version-suffix '~ppa{n}')");
        }
        try { // before anything is fetched
            BackportVersion.checkTemplate(suffix, release);
        } catch (FormatException e) {
            throw ForgeException.invalid(e.getMessage());
        }
        Path work = Files.createTempDirectory(Files.createDirectories(ppa.workDirectory()), "backport-");
        try {
            BackportOrigin origin = BackportOrigin.open(ppa, caller, from, fromKey, work.resolve("origin"));
            String label = origin.label();
            List<Stanza> index = origin.sources();
            Map<String, Stanza> sources = AptSource.newest(index);
            if (!sources.containsKey(source)) {
                throw ForgeException.invalid(label + " has no source package '" + source + "'");
            }
            if (wanted != null) { // that version, which the index must list
                List<Stanza> all = index.stream()
                        .filter(x -> source.equals(x.get("Package")))
                        .toList();
                sources.put(
                        source,
                        all.stream()
                                .filter(x ->
                                        Version.parse(x.get("Version").strip()).compareTo(wanted) == 0)
                                .findFirst()
                                .orElseThrow(() -> ForgeException.notFound(label + " has no " + source + " " + wanted
                                        + " (it has "
                                        + String.join(
                                                ", ",
                                                all.stream()
                                                        .map(x -> x.get("Version"))
                                                        .toList())
                                        + ")")));
            }
            List<Stanza> binaries = withBuildDeps || withDepends
                    ? new ArrayList<>(AptSource.newest(origin.binaries(archs)).values())
                    : List.of();
            PackageSet view = TargetView.of(ppa, builds, to, series, archs, work.resolve("target"), AptSource.HTTP);
            Map<String, Version> backports = new HashMap<>();
            BackportPlan.Result plan = new BackportPlan(
                            sources,
                            binaries,
                            view,
                            archs,
                            withBuildDeps,
                            withDepends,
                            s -> backports.computeIfAbsent(
                                    s.get("Package"), name -> version(name, s, release, suffix, targetHas)))
                    .plan(source);
            BackportPlan.Step root = plan.steps().stream()
                    .filter(st -> st.source().equals(source))
                    .findFirst()
                    .orElseThrow();
            List<String> unsatisfied =
                    plan.unsatisfied().stream().map(Object::toString).toList();
            String dsc = null;
            if (!dryRun) {
                if (!unsatisfied.isEmpty() || !plan.cycles().isEmpty()) {
                    throw ForgeException.refused("the backport of " + source + " cannot build in " + to + "/" + series
                            + (unsatisfied.isEmpty() ? "" : ": nothing satisfies " + String.join("; ", unsatisfied))
                            + (plan.cycles().isEmpty() ? "" : "; cycles: " + String.join("; ", plan.cycles()))
                            + (withBuildDeps ? "" : " (--with-build-deps backports what the origin has of it)"));
                }
                dsc = include(origin, sources, plan, root, release, work);
            }
            return new Result(
                    source,
                    label,
                    root.version(),
                    root.backportVersion(),
                    series,
                    dsc,
                    plan.steps(),
                    unsatisfied,
                    plan.cycles());
        } finally {
            FileTrees.delete(work);
        }
    }

    /**
     * Packs each source of the plan again as a backport, in build order, signs its .dsc and includes it; the .dsc of
     * the source asked for is returned.
     */
    private String include(
            BackportOrigin origin,
            Map<String, Stanza> sources,
            BackportPlan.Result plan,
            BackportPlan.Step root,
            DistroInfo.Release release,
            Path work)
            throws IOException, InterruptedException {
        String label = origin.label();
        String dsc = null;
        Publish.Signer signer = signKey == null ? Publish.signer(ppa, to) : callersSigner();
        for (BackportPlan.Step step : plan.steps()) {
            Path dir = work.resolve("source-" + step.source());
            AptSource.Fetched fetched = origin.fetch(sources.get(step.source()), dir);
            RebuildSource.Prepared p = RebuildSource.repack(
                    fetched.dsc(),
                    step.version(),
                    step.source(),
                    series,
                    "Backport to " + series
                            + (release == null || release.number() == null ? "" : " (" + release.number() + ")")
                            + " of " + step.version() + " from " + label + "."
                            + (step.source().equals(source) ? "" : " Needed by " + step.why() + "."),
                    Version.parse(step.backportVersion()),
                    dir);
            if (signer.signer() != null) { // the caller's key, or the archive's as its Release files are
                Files.write(
                        p.dsc(),
                        signer.signer()
                                .clearSigned(
                                        Files.readString(p.dsc(), StandardCharsets.UTF_8),
                                        Date.from(ppa.clock().instant())));
            }
            ppa.include()
                    .caller(caller)
                    .archive(to)
                    .series(series)
                    .files(List.of(p.dsc()))
                    .origin(
                            plan.steps().size() > 1
                                    ? SourcePublication.originInPlan(
                                            "backport from " + label,
                                            "backport of " + source + " " + root.backportVersion())
                                    : "backport from " + label)
                    .call();
            if (step.source().equals(source)) {
                dsc = p.dsc().getFileName().toString();
            }
        }
        return dsc;
    }

    /** The caller's key, checked to unlock before anything is packed. */
    private Publish.Signer callersSigner() {
        try {
            PGPSecretKeyRing ring =
                    OpenPgp.readSecretRing(signKey.getBytes(StandardCharsets.US_ASCII), "the signing key");
            OpenPgp.privateKey(ring.getSecretKey(), ppa.keyPassphrase());
            return new Publish.Signer(
                    new ReleaseSigner(List.of(ring.getSecretKey()), ppa.keyPassphrase()),
                    List.of(OpenPgp.fingerprint(ring.getPublicKey())));
        } catch (IllegalArgumentException e) {
            throw ForgeException.invalid(e.getMessage());
        }
    }

    /** The backport version of an origin source: the target's style, the next number after earlier backports. */
    private Version version(
            String name, Stanza s, DistroInfo.Release release, String suffix, Map<String, Version> targetHas) {
        List<Version> existing = new ArrayList<>();
        try {
            ppa.history().archive(to).source(name).call().forEach(h -> existing.add(Version.parse(h.version())));
        } catch (ForgeException e) {
            // never in the archive: the first backport
        }
        try {
            return BackportVersion.next(
                    Version.parse(s.get("Version").strip()), release, suffix, existing, targetHas.get(name));
        } catch (FormatException e) { // the template was checked: what is left is the rule to upgrade the target
            throw ForgeException.refused(name + ": " + e.getMessage());
        }
    }
}
