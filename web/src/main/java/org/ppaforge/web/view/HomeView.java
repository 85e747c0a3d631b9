package org.ppaforge.web.view;

import java.util.List;
import org.ppaforge.pipeline.Run;

/** The home page: the archives this viewer may read, each with a dashboard line, and the latest pipeline runs. */
/** @param backup the scheduled backups' last outcome, for admins (null: none scheduled, or not an admin) */
public record HomeView(Page page, List<ArchiveRow> archives, List<Run> runs, String backup) {
    /**
     * @param lastUpload e.g. "hello 2.10-3, 2026-12-01 10:00 UTC", or null
     * @param waiting builds waiting or building
     * @param failed builds that failed (to build, to upload) or wait for dependencies
     * @param lastRun the newest pipeline run that uploads here, when the viewer may see pipelines (else null)
     * @param regressions regressions in the newest run of each rebuild set that rebuilds into this archive
     */
    public record ArchiveRow(
            String name,
            String description,
            List<String> series,
            int packages,
            boolean isPrivate,
            String lastUpload,
            int waiting,
            int failed,
            Run lastRun,
            int regressions) {}
}
