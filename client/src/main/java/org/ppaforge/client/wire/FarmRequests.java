package org.ppaforge.client.wire;

import java.nio.file.Path;
import java.util.List;

/** What the build farm's verbs are given besides names and ids. */
public final class FarmRequests {
    private FarmRequests() {}

    /**
     * A build environment for a series and architecture: made with mmdebstrap from {@code mirror} (and {@code suite},
     * {@code keyring}, extra packages {@code include}), or taken from a ready {@code tarball}. Made on the server's
     * machine only (mmdebstrap runs there).
     */
    public record CreateChroot(
            String series,
            String architecture,
            String mirror,
            String suite,
            Path keyring,
            List<String> include,
            Path tarball) {}
}
