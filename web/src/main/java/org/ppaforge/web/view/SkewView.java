package org.ppaforge.web.view;

import java.util.List;
import org.ppaforge.archive.verb.Skew;

/** Version skew between an archive and the others of the same series the viewer may read. */
public record SkewView(Page page, String archive, List<String> archives, List<Skew.Row> rows) {}
