package org.ppaforge.farm;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;

/**
 * The read credential a lease carries into its build: apt inside sbuild fetches the build's private dependency archives
 * with it. It is made at lease time (32 random bytes; only its SHA-256 is stored with the build), reads the build's own
 * archive and the archives it depends on, and nothing else, and is void as soon as the build stops building (built,
 * failed, cancelled, expired, requeued). A build that prints it, however disguised, hands out nothing that outlives it
 * or reaches further than the build itself could.
 */
final class ReadGrants {
    private static final SecureRandom RANDOM = new SecureRandom();

    private ReadGrants() {}

    static String secret(long build) {
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        return "ppf_build" + build + "_"
                + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }

    /** Whether the credential with this SHA-256 belongs to a building build that may read {@code archive}. */
    static boolean mayRead(Builds builds, String sha256, String archive) {
        return builds.store()
                .readGrant(sha256)
                .map(b -> {
                    Set<String> readable = new HashSet<>();
                    readable.add(b.archive());
                    builds.store().dependencies(b.archive()).stream()
                            .filter(d -> d.kind().equals("archive"))
                            .forEach(d -> readable.add(d.value()));
                    return readable.contains(archive);
                })
                .orElse(false);
    }
}
