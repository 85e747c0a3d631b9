package org.ppaforge.web.view;

import java.util.List;
import org.ppaforge.pipeline.Pipeline;
import org.ppaforge.pipeline.Run;

/** The pipelines and their latest runs ({@code pipeline}: only this one's, or null). */
public record PipelinesView(Page page, String pipeline, List<Pipeline> pipelines, List<Run> runs) {}
