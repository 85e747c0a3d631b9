package org.ppaforge.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.archive.verb.Copy;
import org.ppaforge.archive.verb.ListPackages;
import org.ppaforge.archive.verb.Skew;
import org.ppaforge.archive.verb.Sync;
import org.ppaforge.debian.control.Deb822Reader;
import org.ppaforge.debian.deb.DebWriter;

/**
 * Times copy, sync and skew inside one process on a data directory whose archive
 * {@code trunk} (series noble) already holds the packages: copy all of them (with
 * binaries) to {@code milestone-proposed}, sync {@code trunk} into {@code release}, then
 * find skew across the three after one package changed.
 *
 * <p>usage: ArchiveBench DATA_DIR
 */
public final class ArchiveBench {
    private ArchiveBench() {}

    public static void main(String[] args) throws Exception {
        try (Ppaforge ppa = Ppaforge.open(Path.of(args[0]))) {
            List<String> sources = ppa.list().archive("trunk").series("noble").call().stream()
                    .map(ListPackages.Entry::source)
                    .toList();
            for (String a : List.of("milestone-proposed", "release")) {
                if (ppa.listArchives().call().stream()
                        .noneMatch(s -> s.archive().name().equals(a))) {
                    ppa.createArchive()
                            .name(a)
                            .series(List.of("noble"))
                            .architectures(List.of("amd64"))
                            .call();
                }
            }
            long t0 = System.nanoTime();
            Copy.Result copied = ppa.copy()
                    .sources(sources)
                    .from("trunk")
                    .to("milestone-proposed")
                    .series("noble")
                    .withBinaries(true)
                    .call();
            double copy = (System.nanoTime() - t0) / 1e9;
            t0 = System.nanoTime();
            Sync.Result synced =
                    ppa.sync().from("trunk").to("release").series("noble").call();
            double sync = (System.nanoTime() - t0) / 1e9;
            // Skew needs a difference: a newer build of one source in trunk, and one source gone from release.
            ListPackages.Entry first =
                    ppa.list().archive("trunk").series("noble").call().get(0);
            var arch = first.binaries().keySet().iterator().next();
            String binary = first.binaries().get(arch).get(0).name();
            Path newer = Files.createTempFile("bench", ".deb");
            Files.write(
                    newer,
                    new DebWriter(Deb822Reader.parseSingle(
                                    "Package: " + binary + "\nSource: " + first.source()
                                            + "\nVersion: 99:1.0-bench\nArchitecture: " + arch
                                            + "\nMaintainer: bench <bench@example.org>\nDescription: newer build\n",
                                    "bench"))
                            .toBytes());
            ppa.include().archive("trunk").series("noble").files(List.of(newer)).call();
            ppa.remove()
                    .archive("release")
                    .series("noble")
                    .source(sources.get(1))
                    .reason("bench")
                    .call();
            t0 = System.nanoTime();
            Skew.Result skew = ppa.skew()
                    .archives(List.of("trunk", "milestone-proposed", "release"))
                    .series("noble")
                    .call();
            double skewTime = (System.nanoTime() - t0) / 1e9;
            t0 = System.nanoTime();
            Sync.Result resync =
                    ppa.sync().from("trunk").to("release").series("noble").call();
            double resyncTime = (System.nanoTime() - t0) / 1e9;
            System.out.printf(
                    "copy %d sources with binaries (one transaction): %.3f s  (goal < 2 s)%n",
                    copied.copied().size(), copy);
            System.out.printf(
                    "sync into an empty archive, %d steps: %.3f s  (goal < 2 s)%n",
                    synced.plan().size(), sync);
            System.out.printf(
                    "skew across 3 archives of %d sources: %.3f s, %d skewed row(s)  (goal < 1 s)%n",
                    sources.size(), skewTime, skew.rows().size());
            System.out.printf(
                    "re-sync after one upgrade and one removal, %d step(s): %.3f s%n",
                    resync.plan().size(), resyncTime);
        }
    }
}
