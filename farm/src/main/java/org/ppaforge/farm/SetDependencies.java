package org.ppaforge.farm;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.ppaforge.archive.Caller;
import org.ppaforge.archive.signing.OpenPgp;
import org.ppaforge.common.ForgeException;
import org.ppaforge.farm.store.BuildStore.ArchiveDependency;

/**
 * What an archive's builds resolve build-dependencies from, after the archive itself (Launchpad's "dependencies"): other
 * ppaforge archives (e.g. trunk depends on backports), then external apt repositories such as a Debian or Ubuntu mirror,
 * each with the key it is signed with. They become sbuild's extra repositories; a private dependency archive is fetched
 * with the worker's token, which is blanked in the stored log.
 */
public final class SetDependencies {
    /** An external apt repository: {@code URL SUITE [COMPONENT...]} and its public key (ASCII-armoured or binary). */
    public record External(String line, byte[] key) {}

    private final Builds builds;
    private Caller caller = Caller.OPERATOR;
    private String archive;
    private List<String> archives;
    private List<External> externals;
    private String series;

    SetDependencies(Builds builds) {
        this.builds = builds;
    }

    /** Who calls (default: the local operator); the verb decides what it may see and do. */
    public SetDependencies caller(Caller caller) {
        this.caller = caller;
        return this;
    }

    public SetDependencies archive(String archive) {
        this.archive = archive;
        return this;
    }

    /** Other ppaforge archives, in order (null keeps them; empty removes them). */
    public SetDependencies archives(List<String> archives) {
        this.archives = archives;
        return this;
    }

    /**
     * The series the external lines given are for: they replace that series' own lines and leave the others' (null: the
     * lines for every series).
     */
    public SetDependencies series(String series) {
        this.series = series;
        return this;
    }

    /** External repositories, in order (null keeps them; empty removes them). */
    public SetDependencies externals(List<External> externals) {
        this.externals = externals;
        return this;
    }

    public List<ArchiveDependency> call() {
        caller.admin(builds.archive());
        List<String> known = builds.archive()
                .metadata()
                .read(tx -> tx.archives().stream().map(a -> a.name()).toList());
        if (!known.contains(archive)) {
            throw ForgeException.notFound("archive '" + archive + "' does not exist");
        }
        List<ArchiveDependency> old = builds.store().dependencies(archive);
        List<ArchiveDependency> out = new ArrayList<>();
        if (archives == null) {
            old.stream().filter(d -> d.kind().equals("archive")).forEach(out::add);
        } else {
            for (String a : archives) {
                if (a.equals(archive)) {
                    throw ForgeException.invalid(
                            "an archive always builds against itself first: leave '" + a + "' out");
                }
                if (!known.contains(a)) {
                    throw ForgeException.notFound("archive '" + a + "' does not exist");
                }
                if (out.stream().anyMatch(d -> d.value().equals(a))) {
                    throw ForgeException.invalid("archive '" + a + "' is named twice");
                }
                out.add(new ArchiveDependency("archive", a, null));
            }
        }
        if (series != null && externals == null) {
            throw ForgeException.invalid("a series names whose external dependencies are given: give them too");
        }
        if (series != null) {
            boolean hasSeries = builds.archive()
                    .metadata()
                    .read(tx ->
                            tx.archive(archive).map(a -> a.hasSeries(series)).orElse(false));
            if (!hasSeries) {
                throw ForgeException.notFound("no series " + series + " in " + archive);
            }
        }
        if (externals == null) {
            old.stream().filter(d -> d.kind().equals("external")).forEach(out::add);
        } else {
            old.stream()
                    .filter(d -> d.kind().equals("external") && !Objects.equals(d.series(), series))
                    .forEach(out::add);
            for (External e : externals) {
                out.add(new ArchiveDependency("external", checkLine(e.line()), armoured(e), series));
            }
        }
        builds.store().setDependencies(archive, out);
        return out;
    }

    /** {@code [deb] URL SUITE [COMPONENT...]} with an http(s) URL, as {@code URL SUITE COMPONENTS} (default main). */
    static String checkLine(String line) {
        List<String> words = new ArrayList<>(
                List.of(line == null ? new String[0] : line.trim().split("\\s+")));
        if (!words.isEmpty() && words.get(0).equals("deb")) {
            words.remove(0);
        }
        if (words.size() < 2 || !words.get(0).matches("https?://[^\\s\\[\\]]+")) {
            throw ForgeException.invalid(
                    "an external dependency is 'deb URL SUITE [COMPONENT...]' with an http or https URL, not '" + line
                            + "'");
        }
        for (String w : words.subList(1, words.size())) {
            if (!w.replace("{series}", "s").matches("[A-Za-z0-9][A-Za-z0-9._+/-]*")) {
                throw ForgeException.invalid("invalid suite or component '" + w + "' in '" + line + "'");
            }
        }
        if (words.size() == 2) {
            words.add("main");
        }
        return String.join(" ", words);
    }

    private static String armoured(External e) {
        if (e.key() == null || e.key().length == 0) {
            throw ForgeException.invalid(
                    "external dependency '" + e.line() + "' needs the key its Release file is signed with");
        }
        try {
            var rings = OpenPgp.readPublicRings(e.key(), "the key of '" + e.line() + "'");
            if (rings.isEmpty()) {
                throw ForgeException.invalid("no public key");
            }
            return OpenPgp.armor(rings.toArray(PGPPublicKeyRing[]::new));
        } catch (ForgeException ex) {
            throw ex;
        } catch (RuntimeException ex) {
            throw ForgeException.invalid(
                    "the key for '" + e.line() + "' is not an OpenPGP public key: " + ex.getMessage());
        }
    }
}
