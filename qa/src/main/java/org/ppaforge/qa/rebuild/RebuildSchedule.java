package org.ppaforge.qa.rebuild;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.ppaforge.pipeline.Triggers;
import org.ppaforge.qa.store.RebuildStore;

/** When rebuild sets are due: asked for, or their schedule ({@code daily} or a cron expression) passed. */
final class RebuildSchedule {
    private RebuildSchedule() {}

    /**
     * The sets whose schedule is due at {@code now}: {@code daily} when no run started today (UTC), a cron expression when
     * one of its minutes passed since the last run started (a set that never ran: since it was made).
     */
    static List<RebuildSet> due(RebuildStore store, Instant now) {
        List<RebuildSet> out = new ArrayList<>();
        for (RebuildSet s : store.sets()) {
            if (store.requested(s.name())) {
                out.add(s);
                continue;
            }
            if (s.schedule() == null) {
                continue;
            }
            List<RebuildRun> last = store.runs(s.name(), 1);
            Instant since = last.isEmpty() ? s.createdAt() : last.get(0).startedAt();
            // A daily set that never ran is due at once; otherwise as its schedule says since its last run (or
            // creation).
            if (s.schedule().equals("daily") && last.isEmpty() || Triggers.dueSince(s.schedule(), since, now)) {
                out.add(s);
            }
        }
        return out;
    }
}
