package org.ppaforge.pipeline.version;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.ppaforge.debian.FormatException;
import org.ppaforge.debian.changelog.Changelog;
import org.ppaforge.debian.series.DistroInfo;

/** The values of the recipe variables for one commit of a repository (read with JGit, no git binary). */
public final class RecipeVariables {
    private static final DateTimeFormatter MINUTES =
            DateTimeFormatter.ofPattern("yyyyMMddHHmm").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DAY =
            DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);

    private RecipeVariables() {}

    /**
     * @param changelogPath where debian/changelog is in the commit's tree (or in the packaging branch's)
     * @param now for {@code {time}}
     */
    public static Map<String, String> of(
            Repository repo, RevCommit commit, RevCommit packaging, String changelogPath, Instant now)
            throws IOException {
        Map<String, String> v = new HashMap<>();
        String changelog = read(repo, packaging, changelogPath);
        if (changelog == null) {
            throw new FormatException("commit " + packaging.abbreviate(7).name() + " has no " + changelogPath);
        }
        Changelog.Entry latest = Changelog.latest(changelog, changelogPath);
        v.put("debupstream", latest.version().upstream());
        v.put("debversion", latest.version().toString());
        Instant committed = Instant.ofEpochSecond(commit.getCommitTime());
        v.put("revtime", MINUTES.format(committed));
        v.put("revdate", DAY.format(committed));
        v.put("time", MINUTES.format(now));
        v.put("git-commit", commit.abbreviate(7).name());
        v.put("revno", Long.toString(firstParentLength(repo, commit)));
        try (Git git = new Git(repo)) {
            String tag =
                    git.describe().setTarget(commit).setTags(true).setAbbrev(0).call();
            if (tag != null) {
                v.put("latest-tag", tag);
            }
        } catch (GitAPIException e) {
            // no tag: {latest-tag} stays unset
        }
        return v;
    }

    /**
     * The per-series variables: {@code {series}} (the codename), and for a Debian or Ubuntu release that distro-info-data
     * knows {@code {series-number}} ({@code 12}, {@code 22.04}) and {@code {series-suffix}} ({@code deb12},
     * {@code ubuntu22.04}).
     */
    public static Map<String, String> series(String series) {
        Map<String, String> v = new HashMap<>();
        v.put("series", series);
        DistroInfo.system().release(series).filter(r -> r.number() != null).ifPresent(r -> {
            v.put("series-number", r.number());
            v.put("series-suffix", r.suffix());
        });
        return v;
    }

    static long firstParentLength(Repository repo, RevCommit start) throws IOException {
        long n = 0;
        try (RevWalk walk = new RevWalk(repo)) {
            RevCommit c = walk.parseCommit(start);
            while (c != null) {
                n++;
                c = c.getParentCount() == 0 ? null : walk.parseCommit(c.getParent(0));
            }
        }
        return n;
    }

    /** A file of a commit's tree, as text, or null when the commit has none. */
    public static String read(Repository repo, RevCommit commit, String path) throws IOException {
        try (TreeWalk tw = TreeWalk.forPath(repo, path, commit.getTree())) {
            if (tw == null) {
                return null;
            }
            if (tw.getFileMode(0) != FileMode.REGULAR_FILE && tw.getFileMode(0) != FileMode.EXECUTABLE_FILE) {
                throw new FormatException("commit " + commit.abbreviate(7).name() + ": '" + path + "' is "
                        + (tw.getFileMode(0) == FileMode.SYMLINK ? "a symlink" : "not a file")
                        + "; ppaforge reads it only as a file of the commit's own");
            }
            ObjectId id = tw.getObjectId(0);
            ObjectLoader loader = repo.open(id);
            return new String(loader.getBytes(1 << 20), StandardCharsets.UTF_8);
        }
    }
}
