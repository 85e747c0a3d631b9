package org.ppaforge.qa;

import java.time.Instant;
import java.util.Locale;
import java.util.regex.Pattern;
import org.ppaforge.archive.Caller;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.common.ForgeException;
import org.ppaforge.common.Names;
import org.ppaforge.farm.Builds;
import org.ppaforge.qa.rebuild.Rebuilds;
import org.ppaforge.qa.store.QaStore;
import org.ppaforge.qa.store.SqlQaStore;

/**
 * The QA module's entry point: coverage tracking (one verb per class: upload, show, trend, least covered, diff, gate).
 * Its store is {@code qa.db} beside the archive's.
 */
public final class Qa implements AutoCloseable {
    static final Pattern PROJECT = Names.PROJECT;
    static final Pattern COMMIT = Pattern.compile("[0-9a-fA-F]{4,64}");
    static final Pattern BRANCH = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/+-]{0,199}");
    private final Ppaforge ppa;
    private final QaStore store;

    private final Builds builds;

    /** @param builds the build farm rebuild sets queue their builds on */
    public Qa(Ppaforge ppa, Builds builds, QaStore store) {
        this.ppa = ppa;
        this.builds = builds;
        this.store = store;
    }

    /** The embedded default: {@code qa.db} in the data directory. */
    public static Qa open(Ppaforge ppa, Builds builds) {
        return new Qa(ppa, builds, SqlQaStore.open(ppa.databases()));
    }

    public Ppaforge archive() {
        return ppa;
    }

    public QaStore store() {
        return store;
    }

    Instant now() {
        return ppa.clock().instant();
    }

    /**
     * Refuses a caller over the API who may not read the archive a coverage project belongs to, with the answer a
     * project without coverage gets (a private archive's project does not exist to strangers).
     */
    public void checkVisible(String project, String tokenSecret) {
        String archive = store.projectArchive(project).orElse(null);
        try {
            if (archive == null) { // not tied to an archive: it may be meant for a private one
                ppa.authenticate().token(tokenSecret).toWrite(null).call();
            } else {
                ppa.authenticate().token(tokenSecret).toRead(archive);
            }
        } catch (ForgeException e) {
            throw ForgeException.notFound("project '" + project + "' has no coverage");
        }
    }

    public UploadCoverage uploadCoverage() {
        return new UploadCoverage(this);
    }

    public ShowCoverage showCoverage() {
        return new ShowCoverage(this);
    }

    public CoverageTrend coverageTrend() {
        return new CoverageTrend(this);
    }

    public LeastCovered leastCovered() {
        return new LeastCovered(this);
    }

    public CoverageDiff coverageDiff() {
        return new CoverageDiff(this);
    }

    public CoverageGate coverageGate() {
        return new CoverageGate(this);
    }

    public Rebuilds rebuilds() {
        return rebuilds(Caller.OPERATOR);
    }

    /** Rebuild sets as {@code caller} may see and change them. */
    public Rebuilds rebuilds(Caller caller) {
        return new Rebuilds(ppa, builds, store.rebuilds(), caller);
    }

    static String project(String p) {
        if (p == null || !PROJECT.matcher(p).matches()) {
            throw ForgeException.invalid("invalid project name '" + p + "': letters, digits and . _ + -, at most 100");
        }
        return p;
    }

    static String commit(String c) {
        if (c == null || !COMMIT.matcher(c).matches()) {
            throw ForgeException.invalid("invalid commit '" + c + "': a git commit id (4 to 64 hex digits)");
        }
        return c.toLowerCase(Locale.ROOT);
    }

    static String branch(String b) {
        if (b != null && (!BRANCH.matcher(b).matches() || b.contains(".."))) {
            throw ForgeException.invalid("invalid branch '" + b + "'");
        }
        return b;
    }

    /** The commit's report, or the project's newest when {@code commit} is null; not found otherwise. */
    CoverageSummary report(String project, String commit) {
        project(project);
        if (commit == null) {
            return store.latest(project, null)
                    .orElseThrow(() -> ForgeException.notFound(
                            "project '" + project + "' has no coverage yet: 'ppa coverage upload --project " + project
                                    + " --commit SHA FILE'"));
        }
        String c = commit(commit);
        return store.summary(project, c)
                .orElseThrow(
                        () -> ForgeException.notFound("project '" + project + "' has no coverage for commit " + c));
    }

    @Override
    public void close() {
        store.close();
    }
}
