package org.ppaforge.web.view;

import java.util.List;
import org.ppaforge.farm.Build;

/** The build queue and recent builds, optionally of one state. */
public record BuildsView(Page page, String state, List<String> states, List<Build> builds) {
    /** The builds of their own first, then each plan's as a group. */
    public List<Build.Group> groups() {
        return Build.groups(builds);
    }
}
