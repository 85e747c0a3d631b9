package org.ppaforge.archive.publish;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** What a publish removes from by-hash directories: files superseded long enough ago, beyond the newest few, and stale temporaries. */
final class ByHashCleanup {
    private ByHashCleanup() {}

    /** How many superseded files a by-hash directory keeps past {@link #MIN_KEEP_MILLIS} (the newest). */
    static final int MAX_SUPERSEDED = 30;
    /** No superseded file goes sooner: a client may hold a Release this old and fetch what it names. */
    static final long MIN_KEEP_MILLIS = 10 * 60_000;

    /**
     * Deletes by-hash files that stopped being current more than {@code keepMillis} ago, and those beyond the
     * {@value #MAX_SUPERSEDED} newest once ten minutes old (an archive republished on every commit would otherwise
     * keep gigabytes for a day; a client mid-update needs only recent ones), and stale temporaries.
     */
    static void removeSuperseded(List<Path> current, long keepMillis) throws IOException {
        Set<Path> keep = new HashSet<>(current);
        Set<Path> dirs = new HashSet<>();
        for (Path p : current) {
            dirs.add(p.getParent());
        }
        long now = System.currentTimeMillis();
        long cutoff = now - keepMillis;
        for (Path dir : dirs) {
            List<Object[]> superseded = new ArrayList<>();
            try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
                for (Path p : s) {
                    if (keep.contains(p)) {
                        continue;
                    }
                    long mtime = Files.getLastModifiedTime(p).toMillis();
                    if (p.getFileName().toString().startsWith(".tmp-")) {
                        if (mtime < now - 3_600_000) {
                            Files.deleteIfExists(p);
                        }
                    } else {
                        superseded.add(new Object[] {p, mtime});
                    }
                }
            }
            superseded.sort((a, b) -> Long.compare((Long) b[1], (Long) a[1]));
            for (int i = 0; i < superseded.size(); i++) {
                long mtime = (Long) superseded.get(i)[1];
                if (mtime < cutoff || (i >= MAX_SUPERSEDED && mtime < now - MIN_KEEP_MILLIS)) {
                    Files.deleteIfExists((Path) superseded.get(i)[0]);
                }
            }
        }
    }
}
