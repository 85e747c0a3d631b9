package org.ppaforge.web.view;

import java.util.List;
import java.util.Map;
import org.ppaforge.qa.rebuild.RebuildResult;
import org.ppaforge.qa.rebuild.RebuildRun;
import org.ppaforge.qa.rebuild.RebuildSet;

/**
 * Rebuild sets: the list, or one set's grid of packages by run (newest run first), each cell coloured by its verdict,
 * and one result's details when {@code result} is set.
 */
public record RebuildsView(
        Page page,
        List<RebuildSet> sets,
        RebuildSet set,
        List<RebuildRun> runs,
        Map<String, Map<Long, RebuildResult>> grid,
        RebuildResult result) {}
