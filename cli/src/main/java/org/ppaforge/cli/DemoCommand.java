package org.ppaforge.cli;

import java.io.File;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import org.ppaforge.debian.Version;
import org.ppaforge.debian.control.Deb822Reader;
import org.ppaforge.debian.control.Stanza;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"A short tour of what works today: dpkg-exact version order, and streaming this machine's "
            + "apt Packages index (from /var/lib/apt/lists) through the deb822 reader."})
final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        out.println("Version order (as dpkg --compare-versions):");
        List<String> sample = List.of("1.0+b1", "1.0", "1:0.9", "1.0~rc1", "1.2~git20261125.1234.abc1234-0ppa1", "1.01-1", "1.0~~");
        List<Version> sorted = sample.stream().map(Version::parse).sorted().toList();
        for (int i = 0; i < sorted.size(); i++) {
            String relation = i + 1 < sorted.size() ? (sorted.get(i).equals(sorted.get(i + 1)) ? " =" : " <") : "";
            out.println("  " + sorted.get(i) + relation);
        }
        File[] lists = new File("/var/lib/apt/lists").listFiles((d, n) -> n.contains("_Packages"));
        if (lists == null || lists.length == 0) {
            out.println("No apt Packages index on this machine (run apt-get update to see the parser demo).");
            return ExitCodes.OK;
        }
        File biggest = Arrays.stream(lists).max(Comparator.comparingLong(File::length)).orElseThrow();
        Process cat = new ProcessBuilder("/usr/lib/apt/apt-helper", "cat-file", biggest.getPath())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        long start = System.nanoTime();
        int count = 0;
        Stanza largest = null;
        long largestSize = -1;
        try (InputStream in = cat.getInputStream(); Deb822Reader reader = new Deb822Reader(in, biggest.getName())) {
            Stanza s;
            while ((s = reader.next()) != null) {
                count++;
                String size = s.get("Installed-Size");
                if (size != null && Long.parseLong(size) > largestSize) {
                    largestSize = Long.parseLong(size);
                    largest = s;
                }
            }
        }
        cat.waitFor();
        out.printf("Streamed %s: %d packages in %.2f s.%n", biggest.getName(), count, (System.nanoTime() - start) / 1e9);
        if (largest != null) {
            out.printf("Largest installed size: %s %s (%d kB).%n", largest.get("Package"), largest.get("Version"), largestSize);
        }
        return ExitCodes.OK;
    }
}
