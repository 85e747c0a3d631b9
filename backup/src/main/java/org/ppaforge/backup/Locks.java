package org.ppaforge.backup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.ppaforge.common.ForgeException;

/**
 * Who works on a target now: each running backup holds {@code locks/ID}, a prune holds {@code locks/prune}. A prune
 * refuses to start while a backup runs, and a backup while a prune runs (a prune deletes objects a backup might count
 * on). A lock older than {@link #STALE} is a killed process's and is ignored.
 */
final class Locks {
    static final Duration STALE = Duration.ofHours(24);
    static final String PRUNE = "prune";

    private Locks() {}

    static void checkNoPrune(Target target) throws IOException {
        if (live(target, PRUNE)) {
            throw ForgeException.refused("a prune of this target is running: back up when it has finished");
        }
    }

    static void checkNoBackup(Target target) throws IOException {
        Set<String> all = target.list("locks/");
        for (String l : all) {
            if (!l.equals(PRUNE) && live(target, l)) {
                throw ForgeException.refused("backup " + l + " is running on this target: prune when it has finished");
            }
        }
    }

    private static boolean live(Target target, String lock) throws IOException {
        if (!target.exists("locks/" + lock)) {
            return false;
        }
        try {
            Instant at = Instant.parse(new String(target.read("locks/" + lock), StandardCharsets.US_ASCII).strip());
            return at.isAfter(Instant.now().minus(STALE));
        } catch (RuntimeException e) {
            return true;
        }
    }
}
