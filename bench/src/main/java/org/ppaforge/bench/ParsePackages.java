package org.ppaforge.bench;

import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import org.ppaforge.debian.control.Deb822Reader;
import org.ppaforge.debian.control.Stanza;

/**
 * Streams a Packages index through {@link Deb822Reader} several times and prints
 * stanzas per second, MB per second and the best wall time of one whole-file parse.
 *
 * <p>usage: ParsePackages FILE [ROUNDS]
 */
public final class ParsePackages {
    private ParsePackages() {}

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        long bytes = Files.size(file);
        double best = Double.MAX_VALUE;
        int stanzas = 0;
        for (int round = 1; round <= rounds; round++) {
            long start = System.nanoTime();
            int count = 0;
            long fields = 0;
            try (InputStream in = Files.newInputStream(file);
                    Deb822Reader reader = new Deb822Reader(in, file.toString())) {
                Stanza s;
                while ((s = reader.next()) != null) {
                    count++;
                    fields += s.size();
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            best = Math.min(best, seconds);
            stanzas = count;
            System.out.printf("round %d: %d stanzas, %d fields in %.3f s%n", round, count, fields, seconds);
        }
        long peakHeap = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peakHeap += pool.getPeakUsage().getUsed();
            }
        }
        System.out.printf("file: %s (%.1f MB, %d stanzas)%n", file, bytes / 1e6, stanzas);
        System.out.printf(
                "best whole-file parse: %.3f s  = %.0f stanzas/s, %.1f MB/s  (goal: < 1 s on one core)%n",
                best, stanzas / best, bytes / 1e6 / best, best);
        System.out.printf(
                "max heap allowed: %d MB, peak heap used: %.1f MB (the file is %.1f MB: it is streamed)%n",
                Runtime.getRuntime().maxMemory() >> 20, peakHeap / 1e6, bytes / 1e6);
        System.out.println(best < 1.0 ? "RESULT: goal met" : "RESULT: goal NOT met");
    }
}
