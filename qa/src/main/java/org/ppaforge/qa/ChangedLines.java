package org.ppaforge.qa;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.diff.DiffEntry;
import org.eclipse.jgit.diff.DiffFormatter;
import org.eclipse.jgit.diff.Edit;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.util.io.DisabledOutputStream;
import org.ppaforge.qa.coverage.LineSet;

/** The lines a commit added or changed, per file (new paths, 1-based new line numbers), from a JGit diff to its parent. */
final class ChangedLines {
    private ChangedLines() {}

    static Map<String, LineSet> of(Repository repo, RevCommit commit) throws IOException {
        Map<String, LineSet> out = new HashMap<>();
        try (DiffFormatter f = new DiffFormatter(DisabledOutputStream.INSTANCE);
                RevWalk walk = new RevWalk(repo)) {
            f.setRepository(repo);
            f.setDetectRenames(true);
            // Parsed here: a commit handed in may not have its parent's tree loaded (then the diff would be against
            // nothing).
            RevCommit c = walk.parseCommit(commit);
            RevCommit parent = c.getParentCount() > 0 ? walk.parseCommit(c.getParent(0)) : null;
            List<DiffEntry> entries = f.scan(parent == null ? null : parent.getTree(), c.getTree());
            for (DiffEntry d : entries) {
                if (d.getChangeType() == DiffEntry.ChangeType.DELETE) {
                    continue;
                }
                List<Integer> lines = new ArrayList<>();
                for (Edit e : f.toFileHeader(d).toEditList()) {
                    for (int l = e.getBeginB(); l < e.getEndB(); l++) {
                        lines.add(l + 1);
                    }
                }
                if (!lines.isEmpty()) {
                    out.put(
                            d.getNewPath(),
                            LineSet.of(
                                    lines.stream().mapToInt(Integer::intValue).toArray()));
                }
            }
        }
        return out;
    }
}
