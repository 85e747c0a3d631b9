package org.ppaforge.archive.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.ppaforge.debian.control.Deb822Reader;
import org.ppaforge.debian.deb.DebWriter;

/** Small binary packages made in a test: one data file of random bytes (seeded by the version), amd64. */
public final class TinyDebs {
    private TinyDebs() {}

    /** {@code dir/NAME_VERSION_amd64.deb} with {@code payload} bytes of data. */
    public static Path write(Path dir, String name, String version, int payload) throws Exception {
        byte[] content = new byte[payload];
        new Random(version.hashCode()).nextBytes(content);
        Path f = dir.resolve(name + "_" + version + "_amd64.deb");
        Files.write(
                f,
                new DebWriter(Deb822Reader.parseSingle(
                                "Package: " + name + "\nVersion: " + version
                                        + "\nArchitecture: amd64\nMaintainer: A <a@example.org>\nDescription: a tool\n",
                                "test"))
                        .file("./usr/share/" + name + "/data", content)
                        .toBytes());
        return f;
    }
}
