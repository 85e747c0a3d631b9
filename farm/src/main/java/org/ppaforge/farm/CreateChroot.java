package org.ppaforge.farm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.ppaforge.common.ForgeException;
import org.ppaforge.common.Names;
import org.ppaforge.debian.checksum.Checksums;
import org.ppaforge.farm.sbuild.Mmdebstrap;

/**
 * Makes the build environment of a series and architecture with mmdebstrap (or takes a tarball made elsewhere) and
 * keeps it in the blob store by its SHA-256; workers fetch it once per hash. Builds waiting for it start.
 */
public final class CreateChroot {
    private final Builds builds;
    private String series;
    private String architecture = "amd64";
    private String mirror;
    private String suite;
    private Path keyring;
    private List<String> include = List.of();
    private Path tarball;
    private Consumer<String> progress = line -> {};

    CreateChroot(Builds builds) {
        this.builds = builds;
    }

    public CreateChroot series(String series) {
        this.series = series;
        return this;
    }

    public CreateChroot architecture(String architecture) {
        this.architecture = architecture;
        return this;
    }

    public CreateChroot mirror(String mirror) {
        this.mirror = mirror;
        return this;
    }

    /** The mirror's suite (default: the series' name). */
    public CreateChroot suite(String suite) {
        this.suite = suite;
        return this;
    }

    public CreateChroot keyring(Path keyring) {
        this.keyring = keyring;
        return this;
    }

    public CreateChroot include(List<String> packages) {
        this.include = List.copyOf(packages);
        return this;
    }

    /** Use this tarball (made by mmdebstrap elsewhere) instead of running mmdebstrap. */
    public CreateChroot tarball(Path tarball) {
        this.tarball = tarball;
        return this;
    }

    public CreateChroot progress(Consumer<String> progress) {
        this.progress = progress;
        return this;
    }

    public record Result(Chroot chroot, int buildsReleased) {}

    public Result call() throws IOException, InterruptedException {
        if (!Names.is(Names.SERIES, series)) {
            throw ForgeException.invalid("invalid series '" + series + "'");
        }
        if (!Names.is(Names.ARCHITECTURE, architecture) || architecture.equals("all")) {
            throw ForgeException.invalid("invalid architecture '" + architecture + "'");
        }
        String theSuite = suite == null ? series : suite;
        Path work = Files.createDirectories(builds.archive().workDirectory());
        Path made = null;
        Path source = tarball;
        try {
            if (source == null) {
                if (mirror == null || mirror.isBlank()) {
                    throw ForgeException.invalid(
                            "say where to get packages from: --mirror URL (or give --tarball FILE)");
                }
                made = work.resolve("chroot-" + series + "-" + architecture + "-"
                        + ProcessHandle.current().pid() + ".tar.zst");
                new Mmdebstrap()
                        .suite(theSuite)
                        .architecture(architecture)
                        .mirror(mirror)
                        .keyring(keyring)
                        .include(include)
                        .run(made, progress);
                source = made;
            } else if (!Files.isRegularFile(source)) {
                throw ForgeException.invalid(source + " is not a file");
            }
            progress.accept("storing " + source.getFileName() + " (" + Files.size(source) / (1 << 20) + " MiB)");
            Checksums sums = Checksums.of(source);
            builds.archive().blobs().put(source, sums.sha256());
            Chroot c = new Chroot(
                    series,
                    architecture,
                    sums.sha256(),
                    Files.size(source),
                    mirror == null ? "" : mirror,
                    theSuite,
                    String.join(",", include),
                    builds.now());
            builds.store().putChroot(c);
            int released = builds.store().chrootArrived(series, architecture);
            if (released > 0) {
                builds.wakeWorkers();
            }
            return new Result(c, released);
        } finally {
            if (made != null) {
                Files.deleteIfExists(made);
            }
        }
    }
}
