package org.ppaforge.web.view;

import org.ppaforge.farm.Build;

/** One build, its log so far ({@code next}: the offset the page's script asks from), retry/cancel when allowed. */
public record BuildView(Page page, Build build, String log, long next, boolean complete, boolean mayWrite) {}
