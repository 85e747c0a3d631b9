package org.ppaforge.qa.rebuild;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ppaforge.archive.remote.AptRepository;
import org.ppaforge.archive.remote.Download;
import org.ppaforge.archive.remote.RemoteException;
import org.ppaforge.archive.signing.OpenPgp;
import org.ppaforge.debian.FormatException;
import org.ppaforge.debian.Version;
import org.ppaforge.debian.control.Stanza;

/**
 * A source package from an apt repository, as apt fetches one: the suite's {@code InRelease}, its signature checked
 * against the key given for the repository; the component's {@code Sources} index, its size and SHA-256 checked against
 * the Release file; the newest version of the package there, each of its files checked against the index. Anything that
 * does not check out ends the package's rebuild with the reason; nothing unchecked is unpacked.
 */
final class AptSource {
    /** {@code deb-src URL SUITE COMPONENT} as a set names its source (the leading word optional). */
    record Spec(String url, String suite, String component) {
        static Spec parse(String text) {
            String[] f = text.strip().replaceFirst("^deb(-src)?\\s+", "").split("\\s+");
            if (f.length != 3
                    || !f[0].matches("https?://[^\\s]+")
                    || !f[1].matches("[A-Za-z0-9._/-]+")
                    || !f[2].matches("[a-z0-9.+-]+")) {
                throw new IllegalArgumentException(
                        "an apt source is 'deb-src URL SUITE COMPONENT', not '" + text + "'");
            }
            return new Spec(f[0].replaceAll("/+$", ""), f[1], f[2]);
        }

        static boolean is(String from) {
            return from.startsWith("deb ")
                    || from.startsWith("deb-src ")
                    || from.startsWith("http://")
                    || from.startsWith("https://");
        }
    }

    record Fetched(Path dsc, String version) {}

    static final Download HTTP = new Download();

    private AptSource() {}

    /** The newest source of {@code pkg} the repository publishes, its .dsc and files fetched into {@code into} and checked. */
    static Fetched fetch(Spec spec, String key, String pkg, Path into) throws IOException, InterruptedException {
        Files.createDirectories(into);
        AptRepository repo = AptRepository.open(
                HTTP,
                spec.url(),
                spec.suite(),
                OpenPgp.readPublicRings(key.getBytes(StandardCharsets.US_ASCII), "the key of " + spec.url()),
                into);
        Stanza best =
                newest(repo.index(spec.component() + "/source/Sources", into)).get(pkg);
        if (best == null) {
            throw new FormatException(
                    spec.url() + " " + spec.suite() + " " + spec.component() + " has no source package '" + pkg + "'");
        }
        return files(repo, best, into);
    }

    /** The newest entry of each package of an index, by name. */
    static Map<String, Stanza> newest(List<Stanza> index) {
        Map<String, Stanza> out = new HashMap<>();
        for (Stanza s : index) {
            String name = s.get("Package");
            if (name == null || s.get("Version") == null) {
                continue;
            }
            Stanza best = out.get(name);
            if (best == null || Version.parse(s.get("Version")).compareTo(Version.parse(best.get("Version"))) > 0) {
                out.put(name, s);
            }
        }
        return out;
    }

    /** The files of a Sources entry fetched into {@code into}, each checked against the entry's size and SHA-256. */
    static Fetched files(AptRepository repo, Stanza entry, Path into) throws IOException, InterruptedException {
        List<AptRepository.SourceFile> files;
        try {
            files = AptRepository.sourceFiles(entry);
        } catch (RemoteException e) { // an entry that does not say what to fetch: a format error, as it has been
            throw new FormatException(e.getMessage());
        }
        Files.createDirectories(into);
        Path dsc = null;
        for (AptRepository.SourceFile f : files) {
            Path local = repo.file(f.path(), f.size(), f.sha256(), into.resolve(f.name()));
            if (f.name().endsWith(".dsc")) {
                dsc = local;
            }
        }
        return new Fetched(dsc, entry.get("Version"));
    }
}
