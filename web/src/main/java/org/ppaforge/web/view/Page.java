package org.ppaforge.web.view;

import org.ppaforge.web.Viewer;

/** What every page's frame needs: its title, which part of the site it is in, and who is looking. */
public record Page(String title, String section, Viewer viewer) {}
