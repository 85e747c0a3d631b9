package org.ppaforge.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.forge.Forge;
import org.ppaforge.forge.ForgeConfig;
import org.ppaforge.qa.Qa;

/**
 * Coverage tracking's costs (issue 14): ingesting a Cobertura report of FILES files (about 200 lines each), in process,
 * the median of 5; {@code coverage trend} over COMMITS stored commits, the median of 20; the diff of two such large
 * reports. Goals: under 1 s, under 200 ms.
 *
 * <p>usage: CoverageBench WORK_DIR [FILES] [COMMITS]
 */
public final class CoverageBench {
    private CoverageBench() {}

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args[0]);
        int files = args.length > 1 ? Integer.parseInt(args[1]) : 5000;
        int commits = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
        Random random = new Random(42);
        Path big = work.resolve("coverage.xml");
        Path big2 = work.resolve("coverage2.xml");
        write(big, files, random);
        write(big2, files, random);
        System.out.printf("report: %d files, %,d bytes (Cobertura XML)%n", files, Files.size(big));
        try (Forge forge = Forge.open(ForgeConfig.of(work.resolve("data")))) {
            Ppaforge ppa = forge.archive();
            Qa qa = forge.qa();
            ppa.createArchive()
                    .name("trunk")
                    .series(List.of("noble"))
                    .architectures(List.of("amd64"))
                    .call();
            long[] ingest = new long[5];
            for (int i = 0; i < ingest.length; i++) {
                long t = System.nanoTime();
                qa.uploadCoverage()
                        .archive("trunk")
                        .project("big")
                        .commit(String.format("%08x", i))
                        .files(List.of(i % 2 == 0 ? big : big2))
                        .call();
                ingest[i] = System.nanoTime() - t;
            }
            System.out.printf(
                    "ingest (read + store) of %d files: median %.0f ms (goal < 1000 ms)%n",
                    files, median(ingest) / 1e6);
            long t = System.nanoTime();
            var diff = qa.coverageDiff()
                    .project("big")
                    .commits("00000000", "00000001")
                    .call();
            System.out.printf(
                    "diff of two %d-file reports: %.0f ms (%d files changed)%n",
                    files, (System.nanoTime() - t) / 1e6, diff.changes().size());
            Path small = work.resolve("small.info");
            Files.writeString(small, "TN:\nSF:src/a.c\nDA:1,1\nDA:2,0\nend_of_record\n");
            t = System.nanoTime();
            for (int i = 0; i < commits; i++) {
                qa.uploadCoverage()
                        .archive("trunk")
                        .project("long")
                        .commit(String.format("%040x", i))
                        .branch("main")
                        .files(List.of(small))
                        .call();
            }
            System.out.printf("%d commits stored: %.1f ms each%n", commits, (System.nanoTime() - t) / 1e6 / commits);
            long[] trend = new long[20];
            int n = 0;
            for (int i = 0; i < trend.length; i++) {
                t = System.nanoTime();
                n = qa.coverageTrend().project("long").limit(commits).call().size();
                trend[i] = System.nanoTime() - t;
            }
            System.out.printf("trend over %d commits: median %.1f ms (goal < 200 ms)%n", n, median(trend) / 1e6);
        }
    }

    private static void write(Path f, int files, Random random) throws Exception {
        StringBuilder s =
                new StringBuilder("<?xml version=\"1.0\" ?>\n<coverage version=\"6.5.0\"><sources><source>/src</source>"
                        + "</sources><packages><package name=\"p\"><classes>\n");
        for (int i = 0; i < files; i++) {
            s.append("<class name=\"m")
                    .append(i)
                    .append("\" filename=\"pkg")
                    .append(i % 50)
                    .append("/module")
                    .append(i)
                    .append(".py\"><methods/><lines>\n");
            for (int l = 1; l <= 200; l++) {
                if (random.nextInt(4) == 0) {
                    continue; // not code
                }
                s.append("<line number=\"")
                        .append(l)
                        .append("\" hits=\"")
                        .append(random.nextInt(5) == 0 ? 0 : 1)
                        .append("\"/>\n");
            }
            s.append("</lines></class>\n");
        }
        Files.writeString(f, s.append("</classes></package></packages></coverage>\n"));
    }

    private static double median(long[] values) {
        long[] v = values.clone();
        Arrays.sort(v);
        return v[v.length / 2];
    }
}
