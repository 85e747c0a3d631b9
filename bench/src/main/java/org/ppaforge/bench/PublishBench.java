package org.ppaforge.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.ppaforge.archive.ArchiveSettings;
import org.ppaforge.archive.Diagnostics;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.archive.publish.Publisher;
import org.ppaforge.archive.verb.ListPackages;
import org.ppaforge.debian.control.Deb822Reader;
import org.ppaforge.debian.deb.DebWriter;

/**
 * Add one package and republish, inside one running process, on a data directory whose
 * archive {@code trunk} (series noble) already holds the packages: the case a CI pipeline
 * hits on every commit. Prints the median over ROUNDS of the whole include (which
 * republishes) and of the publish alone, and how many index chunks were rebuilt.
 *
 * <p>With {@code server}, xz groups are regrouped in the background as {@code ppa serve} does, and each round starts
 * once the background is idle (changes that arrive further apart than its work, about a second a group).
 *
 * <p>usage: PublishBench DATA_DIR [ROUNDS [WARMUP_ROUNDS [server]]]
 */
public final class PublishBench {
    private PublishBench() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int warmup = args.length > 2
                ? Integer.parseInt(args[2])
                : 10; // a running process is warm: the JIT has compiled the path
        boolean server = args.length > 3 && args[3].equals("server");
        Publisher.regroupInBackground(server);
        boolean timings = System.getenv("PPAFORGE_TIMINGS") != null;
        Diagnostics printed = new Diagnostics() {
            @Override
            public void timing(String what, double seconds) {
                if (timings) {
                    System.err.printf("%s %.3f s%n", what, seconds);
                }
            }
        };
        try (Ppaforge ppa = Ppaforge.open(
                ArchiveSettings.of(Path.of(args[0])).withAutoPublish(false).withDiagnostics(printed))) {
            List<ListPackages.Entry> entries =
                    ppa.list().archive("trunk").series("noble").call();
            long t0 = System.nanoTime();
            Publisher.Result first = ppa.publish().archive("trunk").call();
            System.out.printf(
                    "first publish in this process (warm-up; %d binaries): %.3f s%n",
                    first.series().get(0).binaries(), (System.nanoTime() - t0) / 1e9);
            List<Double> whole = new ArrayList<>();
            List<Double> publish = new ArrayList<>();
            int rebuilt = 0;
            for (int i = 0; i < warmup + rounds; i++) {
                if (server) {
                    Publisher.awaitRegrouping(120_000);
                }
                ListPackages.Entry e = entries.get((i * 7919) % entries.size());
                var arch = e.binaries().keySet().iterator().next();
                String binary = e.binaries().get(arch).get(0).name();
                Path deb = Files.createTempFile("publish-bench", ".deb");
                Files.write(
                        deb,
                        new DebWriter(Deb822Reader.parseSingle(
                                        "Package: " + binary + "\nSource: " + e.source()
                                                + "\nVersion: 999:" + System.currentTimeMillis() + "." + i
                                                + "-bench\nArchitecture: " + arch
                                                + "\nMaintainer: bench <bench@example.org>\n"
                                                + "Description: newer build\n round " + i + "\n",
                                        "bench"))
                                .toBytes());
                long a = System.nanoTime();
                ppa.include()
                        .archive("trunk")
                        .series("noble")
                        .files(List.of(deb))
                        .call();
                long b = System.nanoTime();
                Publisher.Result r = ppa.publish().archive("trunk").call();
                long c = System.nanoTime();
                if (i >= warmup) {
                    whole.add((c - a) / 1e9);
                    publish.add((c - b) / 1e9);
                    rebuilt += r.series().get(0).chunksRebuilt();
                }
                if (timings) {
                    System.err.printf("round %d: include %.3f s, publish %.3f s%n", i, (b - a) / 1e9, (c - b) / 1e9);
                }
                Files.delete(deb);
            }
            System.out.printf(
                    "add one package + republish, median of %d after %d warm-up rounds: %.3f s (publish alone %.3f s; %.1f of %d index chunks "
                            + "rebuilt per round)  (goal < 0.2 s)%n",
                    rounds,
                    warmup,
                    median(whole),
                    median(publish),
                    rebuilt / (double) rounds,
                    first.series().get(0).chunksReused() + first.series().get(0).chunksRebuilt());
        }
    }

    private static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        Collections.sort(s);
        return s.get(s.size() / 2);
    }
}
