package org.ppaforge.farm.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.ppaforge.debian.testing.RealSources;
import org.ppaforge.farm.sbuild.Mmdebstrap;

/**
 * The one build chroot the tests share: bookworm amd64, mmdebstrap's buildd variant with debhelper in it, made once per
 * machine (about 50 s from the Debian mirror) and kept outside the checkout, so a second run or another module's tests
 * reuse it.
 */
public final class TestChroots {
    private TestChroots() {}

    public static synchronized Path bookworm() throws Exception {
        Path cached = RealSources.defaultCache().resolve("chroots/bookworm-amd64-debhelper.tar.zst");
        if (!Files.isRegularFile(cached)) {
            Files.createDirectories(cached.getParent());
            Path tmp = cached.resolveSibling("making-" + ProcessHandle.current().pid() + ".tar.zst");
            new Mmdebstrap()
                    .suite("bookworm")
                    .architecture("amd64")
                    .mirror("http://deb.debian.org/debian")
                    .include(List.of("debhelper"))
                    .run(tmp, line -> {});
            Files.move(tmp, cached, StandardCopyOption.ATOMIC_MOVE);
        }
        return cached;
    }
}
