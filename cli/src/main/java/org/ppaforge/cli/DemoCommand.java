package org.ppaforge.cli;

import java.io.File;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import org.ppaforge.archive.FileTrees;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.client.Clients;
import org.ppaforge.client.http.HttpTransport;
import org.ppaforge.client.wire.ArchiveRequests;
import org.ppaforge.debian.Version;
import org.ppaforge.debian.control.Deb822Reader;
import org.ppaforge.debian.control.Stanza;
import org.ppaforge.debian.deb.DebWriter;
import org.ppaforge.forge.Forge;
import org.ppaforge.forge.ForgeConfig;
import org.ppaforge.server.PpaServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "A short tour of what works today: dpkg-exact version order, streaming this machine's "
                    + "apt Packages index (from /var/lib/apt/lists) through the deb822 reader, and an archive round trip in a "
                    + "temporary data directory (create, include, copy, skew, signed publish)."
        })
final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        out.println("Version order (as dpkg --compare-versions):");
        List<String> sample =
                List.of("1.0+b1", "1.0", "1:0.9", "1.0~rc1", "1.2~git20261125.1234.abc1234-0ppa1", "1.01-1", "1.0~~");
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
        File biggest =
                Arrays.stream(lists).max(Comparator.comparingLong(File::length)).orElseThrow();
        Process cat = new ProcessBuilder("/usr/lib/apt/apt-helper", "cat-file", biggest.getPath())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        long start = System.nanoTime();
        int count = 0;
        Stanza largest = null;
        long largestSize = -1;
        try (InputStream in = cat.getInputStream();
                Deb822Reader reader = new Deb822Reader(in, biggest.getName())) {
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
        out.printf(
                "Streamed %s: %d packages in %.2f s.%n", biggest.getName(), count, (System.nanoTime() - start) / 1e9);
        if (largest != null) {
            out.printf(
                    "Largest installed size: %s %s (%d kB).%n",
                    largest.get("Package"), largest.get("Version"), largestSize);
        }
        archiveRoundTrip(out);
        return ExitCodes.OK;
    }

    /** Two archives in a temporary data directory: include, copy, skew and a signed publish, then all removed. */
    private static void archiveRoundTrip(PrintWriter out) throws Exception {
        Path dir = Files.createTempDirectory("ppaforge-demo");
        try (Forge forge = Forge.open(ForgeConfig.of(dir))) {
            Ppaforge ppa = forge.archive();
            out.println("Archive round trip in " + dir + ":");
            for (String a : List.of("trunk", "release")) {
                ppa.createArchive()
                        .name(a)
                        .series(List.of("noble"))
                        .architectures(List.of("amd64"))
                        .call();
            }
            Path deb = dir.resolve("hello-demo_1.0-1_all.deb");
            Files.write(
                    deb,
                    new DebWriter(Deb822Reader.parseSingle(
                                    "Package: hello-demo\nVersion: 1.0-1\nArchitecture: all\nMaintainer: ppaforge <demo@example.org>\n"
                                            + "Section: misc\nPriority: optional\nDescription: demo package\n made by ppa demo\n",
                                    "demo"))
                            .file("usr/share/doc/hello-demo/README", "hello\n".getBytes(StandardCharsets.UTF_8))
                            .toBytes());
            ppa.include().archive("trunk").files(List.of(deb)).call();
            out.println("  included hello-demo 1.0-1 into trunk/noble (published and signed)");
            String token = ppa.createToken().name("demo").role("admin").call().secret();
            try (PpaServer server = new PpaServer(forge, "127.0.0.1", 0).start()) {
                String url = "http://127.0.0.1:" + server.port();
                Path newer = dir.resolve("hello-demo_1.1-1_all.deb");
                Files.write(
                        newer,
                        new DebWriter(Deb822Reader.parseSingle(
                                        "Package: hello-demo\nVersion: 1.1-1\nArchitecture: all\nMaintainer: ppaforge <demo@example.org>\n"
                                                + "Description: demo package\n made by ppa demo\n",
                                        "demo"))
                                .toBytes());
                var r = Clients.http(new HttpTransport(url, token, null))
                        .archive()
                        .include(new ArchiveRequests.Include("trunk", null, null, false, false), List.of(newer), null);
                out.println("  through a server at " + url + ": " + String.join(", ", r.publishedBinaries()));
            }
            ppa.copy()
                    .sources(List.of("hello-demo"))
                    .from("trunk")
                    .to("release")
                    .withBinaries(true)
                    .call();
            out.println("  copied it to release; skew between them: "
                    + ppa.skew()
                            .archives(List.of("trunk", "release"))
                            .call()
                            .rows()
                            .size() + " source(s)");
            var key = ppa.listKeys().archive("trunk").call().get(0);
            out.println("  trunk is signed by " + key.algorithm() + " key " + key.fingerprint());
            Path inRelease = ppa.publishRoot().resolve("trunk/dists/noble/InRelease");
            out.println("  " + inRelease + " begins:");
            Files.readAllLines(inRelease).stream().limit(8).forEach(l -> out.println("    " + l));
        } finally {
            FileTrees.delete(dir);
        }
    }
}
