package org.ppaforge.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.ppaforge.debian.deb.DebReader;

/** Reads every .deb of a directory several times on one thread and prints microseconds per file. usage: ReadDebs DIR [ROUNDS] */
public final class ReadDebs {
    private ReadDebs() {}

    public static void main(String[] args) throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.list(Path.of(args[0]))) {
            files = s.filter(p -> p.toString().endsWith(".deb")).sorted().toList();
        }
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        for (int r = 1; r <= rounds; r++) {
            long t0 = System.nanoTime();
            long files0 = 0;
            for (Path p : files) {
                files0 += DebReader.read(p).fileCount();
            }
            double us = (System.nanoTime() - t0) / 1e3 / files.size();
            System.out.printf("round %d: %d files, %.0f us per .deb (%d data files)%n", r, files.size(), us, files0);
        }
    }
}
