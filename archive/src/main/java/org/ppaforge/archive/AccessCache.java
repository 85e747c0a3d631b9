package org.ppaforge.archive;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import org.ppaforge.archive.model.ApiToken;

/**
 * What every apt read asks before a file is served (is this archive private? whose token is this?), remembered for at
 * most {@link #FRESH_NANOS} so a busy server answers from memory instead of the store. Changes made in this process
 * (archive settings, tokens) clear it at once; changes made by another process on the same data directory take effect
 * within that second.
 */
public final class AccessCache {
    static final long FRESH_NANOS = 1_000_000_000L;
    private volatile Snapshot privacy;
    private final Map<String, Entry> tokens = new ConcurrentHashMap<>();

    private record Snapshot(Set<String> privateArchives, long readAt) {}

    private record Entry(Optional<ApiToken> token, long readAt) {}

    /** Whether {@code archive} is private; {@code load} reads the names of the private archives when the cache is stale. */
    public boolean isPrivate(String archive, Supplier<Set<String>> load) {
        Snapshot s = privacy;
        long now = System.nanoTime();
        if (s == null || now - s.readAt > FRESH_NANOS) {
            s = new Snapshot(Set.copyOf(load.get()), now);
            privacy = s;
        }
        return s.privateArchives.contains(archive);
    }

    /**
     * Whether {@code archive} is private, when that is known fresh here (null when answering would need the store).
     * Never loads: a stale cache is not replaced by a guess.
     */
    public Boolean privateIfFresh(String archive) {
        Snapshot s = privacy;
        return s != null && System.nanoTime() - s.readAt <= FRESH_NANOS ? s.privateArchives.contains(archive) : null;
    }

    /** Whether the token whose SHA-256 is {@code sha256} is known here, fresh (checking it touches no store). */
    public boolean isFreshToken(String sha256) {
        Entry e = tokens.get(sha256);
        return e != null && System.nanoTime() - e.readAt <= FRESH_NANOS;
    }

    /** The token whose SHA-256 is {@code sha256}; {@code load} reads it from the store when it is not fresh here. */
    public Optional<ApiToken> token(String sha256, Function<String, Optional<ApiToken>> load) {
        long now = System.nanoTime();
        Entry e = tokens.get(sha256);
        if (e == null || now - e.readAt > FRESH_NANOS) {
            if (tokens.size() > 10_000) {
                tokens.clear(); // many different (made-up) tokens: keep memory bounded
            }
            e = new Entry(load.apply(sha256), now);
            tokens.put(sha256, e);
        }
        return e.token;
    }

    /** Forgets everything: an archive's settings or a token changed in this process. */
    public void clear() {
        privacy = null;
        tokens.clear();
    }
}
