package org.ppaforge.bench;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.ppaforge.debian.Version;
import org.ppaforge.debian.control.Deb822Reader;
import org.ppaforge.debian.control.Field;
import org.ppaforge.debian.control.Stanza;
import org.ppaforge.debian.deb.DebWriter;

/**
 * Writes N small but valid .deb files whose control data (names, versions, relations,
 * descriptions, ...) is taken from a real Packages index, amd64 and all packages only; with a second architecture,
 * each amd64 package is also written for it (the same control data, that Architecture), as a second port of the same
 * distribution has them.
 *
 * <p>usage: GenerateDebs PACKAGES_FILE N OUT_DIR [SECOND_ARCH]   (N counts entries of the index; 0: all of them)
 */
public final class GenerateDebs {
    private static final List<String> KEEP = List.of(
            "Package",
            "Source",
            "Version",
            "Architecture",
            "Maintainer",
            "Installed-Size",
            "Pre-Depends",
            "Depends",
            "Recommends",
            "Suggests",
            "Enhances",
            "Breaks",
            "Conflicts",
            "Replaces",
            "Provides",
            "Section",
            "Priority",
            "Multi-Arch",
            "Homepage",
            "Description");

    private GenerateDebs() {}

    /** A small .deb of its own ({@code NAME_1.0_amd64.deb} in {@code dir}): one more package for an add-one round. */
    static Path tiny(String name, Path dir) throws java.io.IOException {
        Stanza control = Stanza.builder()
                .set("Package", name)
                .set("Version", "1.0")
                .set("Architecture", "amd64")
                .set("Maintainer", "Bench <bench@example.org>")
                .set("Description", "one more package\n written by the benchmark")
                .build();
        Path file = dir.resolve(name + "_1.0_amd64.deb");
        Files.write(
                file,
                new DebWriter(control)
                        .file("usr/share/doc/" + name + "/README", (name + "\n").getBytes(StandardCharsets.UTF_8))
                        .toBytes());
        return file;
    }

    public static void main(String[] args) throws Exception {
        Path index = Path.of(args[0]);
        int n = Integer.parseInt(args[1]) <= 0 ? Integer.MAX_VALUE : Integer.parseInt(args[1]);
        Path out = Path.of(args[2]);
        String second = args.length > 3 ? args[3] : null;
        int files = 0;
        Files.createDirectories(out);
        int written = 0;
        try (InputStream in = Files.newInputStream(index);
                Deb822Reader reader = new Deb822Reader(in, index.toString())) {
            Stanza s;
            while (written < n && (s = reader.next()) != null) {
                String arch = s.get("Architecture");
                if (!"amd64".equals(arch) && !"all".equals(arch)) {
                    continue;
                }
                for (String a : arch.equals("amd64") && second != null ? List.of(arch, second) : List.of(arch)) {
                    Stanza.Builder control = Stanza.builder();
                    for (String name : KEEP) {
                        Field f = s.field(name);
                        if (f != null) {
                            control.set(f);
                        }
                    }
                    control.set("Architecture", a);
                    String pkg = s.get("Package");
                    Version version = Version.parse(s.get("Version"));
                    byte[] readme = ("Generated for the ppaforge benchmark from the Debian control data of " + pkg + " "
                                    + version + ".\n")
                            .getBytes(StandardCharsets.UTF_8);
                    Path file = out.resolve(pkg + "_" + version.withoutEpoch() + "_" + a + ".deb");
                    Files.write(
                            file,
                            new DebWriter(control.build())
                                    .file("usr/share/doc/" + pkg + "/README.bench", readme)
                                    .toBytes());
                    files++;
                }
                written++;
            }
        }
        System.out.println("wrote " + files + " .deb files to " + out);
    }
}
