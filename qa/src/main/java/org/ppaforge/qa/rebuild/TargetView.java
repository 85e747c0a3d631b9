package org.ppaforge.qa.rebuild;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.archive.model.Archive;
import org.ppaforge.archive.model.BinaryPublication;
import org.ppaforge.archive.remote.AptRepository;
import org.ppaforge.archive.remote.Download;
import org.ppaforge.archive.signing.OpenPgp;
import org.ppaforge.archive.store.StoreTx;
import org.ppaforge.common.ForgeException;
import org.ppaforge.debian.control.Deb822Reader;
import org.ppaforge.debian.control.Stanza;
import org.ppaforge.debian.relation.PackageSet;
import org.ppaforge.farm.Builds;
import org.ppaforge.farm.Chroot;
import org.ppaforge.farm.store.BuildStore.ArchiveDependency;

/**
 * What a build in an archive's series sees when sbuild installs its build-dependencies: the archive itself, its
 * dependency archives, and the distribution: the archive's external repositories for the series (each checked against
 * its key), or, without any, the mirror the series' chroot was made from (checked against the system's archive
 * keyrings).
 */
final class TargetView {
    private TargetView() {}

    static PackageSet of(
            Ppaforge ppa, Builds builds, String archive, String series, List<String> archs, Path work, Download http)
            throws IOException, InterruptedException {
        PackageSet set = new PackageSet();
        List<ArchiveDependency> deps =
                builds == null ? List.of() : builds.store().dependencies(archive);
        List<String> archives = new ArrayList<>(List.of(archive));
        deps.stream().filter(d -> d.kind().equals("archive")).forEach(d -> archives.add(d.value()));
        ppa.metadata().read(tx -> {
            for (String a : archives) {
                Archive x = tx.archive(a).orElse(null);
                if (x == null || !x.hasSeries(series)) {
                    continue;
                }
                set.addAll(published(tx, x, series, null));
            }
            return null;
        });
        int n = 0;
        for (ArchiveDependency d : ArchiveDependency.externalsFor(deps, series)) {
            String[] w = d.value().split(" ");
            List<PGPPublicKeyRing> key = d.key() == null
                    ? systemKeyrings()
                    : OpenPgp.readPublicRings(d.key().getBytes(StandardCharsets.US_ASCII), "the key of " + w[0]);
            add(
                    set,
                    http,
                    w[0],
                    w[1],
                    w.length > 2 ? List.of(w).subList(2, w.length) : List.of("main"),
                    key,
                    archs,
                    work.resolve("external-" + n++));
        }
        if (n == 0) {
            Map<String, Chroot> chroots = new HashMap<>();
            if (builds != null) {
                builds.store().chroots().stream()
                        .filter(c -> c.series().equals(series)
                                && c.mirror() != null
                                && !c.mirror().isBlank())
                        .forEach(c -> chroots.putIfAbsent(c.mirror() + " " + c.suite(), c));
            }
            if (chroots.isEmpty()) {
                throw ForgeException.invalid("what builds of " + archive + "/" + series + " install from is not known: "
                        + "name the distribution as an external dependency (ppa archive set " + archive
                        + " --external-dependency 'deb URL " + series
                        + " main' --external-key FILE), or make the series' "
                        + "chroot from a mirror");
            }
            for (Chroot c : chroots.values()) {
                add(
                        set,
                        http,
                        c.mirror(),
                        c.suite() == null || c.suite().isBlank() ? series : c.suite(),
                        List.of("main"),
                        systemKeyrings(),
                        archs,
                        work.resolve("external-" + n++));
            }
        }
        return set;
    }

    private static void add(
            PackageSet set,
            Download http,
            String url,
            String suite,
            List<String> components,
            List<PGPPublicKeyRing> key,
            List<String> archs,
            Path work)
            throws IOException, InterruptedException {
        AptRepository repo = AptRepository.open(http, url, suite, key, work);
        for (String c : components) {
            for (String arch : archs) {
                String base = c + "/binary-" + arch + "/Packages";
                if (repo.hasIndex(base)) {
                    set.addAll(repo.index(base, work));
                }
            }
        }
    }

    /**
     * The control stanzas of the binaries an archive series publishes, on these architectures and {@code all} (null:
     * every one); a control the archive accepted but cannot be read again counts as absent.
     */
    static List<Stanza> published(StoreTx tx, Archive archive, String series, List<String> archs) {
        List<BinaryPublication> bins = tx.publishedBinaries(archive.id(), series).stream()
                .filter(b -> archs == null || b.architecture().equals("all") || archs.contains(b.architecture()))
                .toList();
        List<Stanza> out = new ArrayList<>();
        for (String control : tx.binaryControls(bins.stream()
                        .map(BinaryPublication::binaryId)
                        .distinct()
                        .toList())
                .values()) {
            try {
                out.add(Deb822Reader.parseSingle(control, "control"));
            } catch (RuntimeException e) {
                // absent
            }
        }
        return out;
    }

    /** The keyrings of the distributions this machine knows ({@code /usr/share/keyrings/*-archive-keyring.gpg}). */
    static List<PGPPublicKeyRing> systemKeyrings() throws IOException {
        List<PGPPublicKeyRing> rings = new ArrayList<>();
        Path dir = Path.of("/usr/share/keyrings");
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.filter(f -> f.getFileName().toString().endsWith("-archive-keyring.gpg"))
                        .sorted()
                        .toList()) {
                    rings.addAll(OpenPgp.readPublicRings(Files.readAllBytes(f), f.toString()));
                }
            }
        }
        return rings;
    }
}
