package org.ppaforge.web.view;

import java.util.List;
import org.ppaforge.archive.model.UploadRecord;

/** An archive's upload log: accepted and rejected uploads with the reasons. */
public record UploadsView(Page page, String archive, List<UploadRecord> uploads) {}
