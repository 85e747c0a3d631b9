package org.ppaforge.pipeline.testbed;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The subordinate ids a testbed's root is mapped to: the first range of {@code /etc/subuid} and {@code /etc/subgid}
 * for the user the server runs as (the same lines sbuild's unshare mode needs). Root inside a testbed is then an id
 * that owns nothing on the host.
 */
record Subids(long uid, long gid, long count) {
    static Subids of(String user, long uid) throws IOException {
        long[] u = first(Path.of("/etc/subuid"), user, uid);
        long[] g = first(Path.of("/etc/subgid"), user, uid);
        if (u == null || g == null) {
            throw new IOException(
                    "testbeds run as an unprivileged id mapped from /etc/subuid and /etc/subgid, and they have "
                            + "no range for '" + user + "': add a line '" + user
                            + ":100000:65536' to both (sbuild's unshare mode needs "
                            + "the same)");
        }
        long count = Math.min(u[1], g[1]);
        if (count < 65536) {
            throw new IOException(
                    "the subordinate id range of '" + user + "' holds " + count + " ids; a testbed needs 65536");
        }
        return new Subids(u[0], g[0], 65536);
    }

    private static long[] first(Path file, String user, long uid) throws IOException {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        for (String line : Files.readAllLines(file)) {
            String[] f = line.strip().split(":");
            if (f.length == 3 && (f[0].equals(user) || f[0].equals(Long.toString(uid)))) {
                try {
                    return new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])};
                } catch (NumberFormatException e) {
                    // not a range: look on
                }
            }
        }
        return null;
    }
}
