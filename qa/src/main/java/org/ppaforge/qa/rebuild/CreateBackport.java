package org.ppaforge.qa.rebuild;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ppaforge.archive.Caller;
import org.ppaforge.archive.FileTrees;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.archive.verb.ListPackages;
import org.ppaforge.common.ForgeException;
import org.ppaforge.common.Names;
import org.ppaforge.debian.FormatException;
import org.ppaforge.debian.Version;
import org.ppaforge.debian.series.BackportVersion;
import org.ppaforge.debian.series.DistroInfo;

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
    private String from;
    private String fromKey;
    private String to;
    private String series;
    private String template;
    private boolean dryRun;

    CreateBackport(Ppaforge ppa, Caller caller) {
        this.ppa = ppa;
        this.caller = caller;
    }

    public CreateBackport source(String name) {
        this.source = name;
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

    /** What was (or would be) backported: the version it came from, the backport's, and the .dsc included. */
    public record Result(
            String source, String from, String version, String backportVersion, String series, String dsc) {}

    public Result call() throws IOException, InterruptedException {
        if (!Names.is(Names.PACKAGE, source)) {
            throw ForgeException.invalid(
                    "a source package name is lower case letters, digits, '+', '-' and '.', not '" + source + "'");
        }
        if (dryRun) {
            caller.read(ppa, to);
        } else {
            caller.write(ppa, to);
        }
        AptSource.Spec spec;
        try {
            spec = AptSource.Spec.parse(from == null ? "" : from);
        } catch (IllegalArgumentException e) {
            throw ForgeException.invalid(e.getMessage());
        }
        if (fromKey == null || fromKey.isBlank()) {
            throw ForgeException.invalid(
                    "a backport needs the key the repository's InRelease is signed with " + "(--from-key FILE)");
        }
        // The target's series (refused when it has none of that name) and what it publishes of the source now.
        List<ListPackages.Entry> there = ppa.list().archive(to).series(series).call();
        Version targetHas = there.stream()
                .filter(e -> e.source().equals(source) && !e.superseded())
                .map(e -> Version.parse(e.version()))
                .findFirst()
                .orElse(null);
        List<Version> existing = new ArrayList<>();
        try {
            ppa.history().archive(to).source(source).call().forEach(h -> existing.add(Version.parse(h.version())));
        } catch (ForgeException e) {
            // never in the archive: the first backport
        }
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
            AptSource.Fetched fetched = AptSource.fetch(spec, fromKey, source, work.resolve("source"));
            Version origin = Version.parse(fetched.version());
            Version backport;
            try {
                backport = BackportVersion.next(origin, release, suffix, existing, targetHas);
            } catch (FormatException e) { // the template was checked: what is left is the rule to upgrade the target
                throw ForgeException.refused(e.getMessage());
            }
            String label = "deb-src " + spec.url() + " " + spec.suite() + " " + spec.component();
            if (dryRun) {
                return new Result(source, label, origin.toString(), backport.toString(), series, null);
            }
            RebuildSource.Prepared p = RebuildSource.repack(
                    fetched.dsc(),
                    origin.toString(),
                    source,
                    series,
                    "Backport to " + series
                            + (release == null || release.number() == null ? "" : " (" + release.number() + ")")
                            + " of " + origin + " from " + label + ".",
                    backport,
                    work.resolve("source"));
            ppa.include()
                    .caller(caller)
                    .archive(to)
                    .series(series)
                    .files(List.of(p.dsc()))
                    .origin("backport from " + label)
                    .call();
            return new Result(
                    source,
                    label,
                    origin.toString(),
                    backport.toString(),
                    series,
                    p.dsc().getFileName().toString());
        } finally {
            FileTrees.delete(work);
        }
    }
}
