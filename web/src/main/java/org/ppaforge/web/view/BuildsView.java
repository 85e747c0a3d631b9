package org.ppaforge.web.view;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ppaforge.farm.Build;

/** The build queue and recent builds, optionally of one state. */
public record BuildsView(Page page, String state, List<String> states, List<Build> builds) {
    /** Builds shown together: those of their own ({@code plan} null), or the builds of one plan, oldest first. */
    public record Group(String plan, List<Build> builds) {}

    /** The builds of their own first, then each plan's as a group. */
    public List<Group> groups() {
        List<Build> own = new ArrayList<>();
        Map<String, List<Build>> plans = new LinkedHashMap<>();
        for (Build b : builds) {
            if (b.plan() == null) {
                own.add(b);
            } else {
                plans.computeIfAbsent(b.plan(), k -> new ArrayList<>()).add(b);
            }
        }
        List<Group> out = new ArrayList<>();
        if (!own.isEmpty()) {
            out.add(new Group(null, own));
        }
        plans.forEach((plan, list) -> out.add(new Group(
                plan, list.stream().sorted(Comparator.comparingLong(Build::id)).toList())));
        return out;
    }
}
