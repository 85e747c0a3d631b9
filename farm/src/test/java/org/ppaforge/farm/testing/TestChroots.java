package org.ppaforge.farm.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.ppaforge.debian.testing.RealSources;
import org.ppaforge.farm.sbuild.Mmdebstrap;

/**
 * The build chroots the tests share: amd64, mmdebstrap's buildd variant with debhelper in it, made once per machine and
 * series (about 50 s each from the Debian mirror) and kept outside the checkout, so a second run or another module's
 * tests reuse them. Most tests use bookworm's; the tests of pipelines for several series add trixie's.
 */
public final class TestChroots {
    private TestChroots() {}

    public static Path bookworm() throws Exception {
        return of("bookworm");
    }

    /** The chroot of a Debian series the mirror serves. */
    public static synchronized Path of(String series) throws Exception {
        Path cached = RealSources.defaultCache().resolve("chroots/" + series + "-amd64-debhelper.tar.zst");
        if (!Files.isRegularFile(cached)) {
            Files.createDirectories(cached.getParent());
            Path tmp = cached.resolveSibling("making-" + ProcessHandle.current().pid() + ".tar.zst");
            new Mmdebstrap()
                    .suite(series)
                    .architecture("amd64")
                    .mirror("http://deb.debian.org/debian")
                    .include(List.of("debhelper"))
                    .run(tmp, line -> {});
            Files.move(tmp, cached, StandardCopyOption.ATOMIC_MOVE);
        }
        return cached;
    }
}
