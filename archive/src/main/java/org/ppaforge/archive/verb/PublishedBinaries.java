package org.ppaforge.archive.verb;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ppaforge.archive.model.BinaryPublication;

/**
 * The binaries an archive series publishes, by name and architecture, and the domination rule of
 * Launchpad and dak: a binary is replaced only by a newer publication of the same binary package name
 * on the same architecture. An {@code all} binary shares every architecture's index, so it and an
 * architecture-specific binary of the same name replace each other. A new source version therefore
 * never removes the previous version's binaries on an architecture it has not been built for yet.
 */
final class PublishedBinaries {
    private final Map<String, Map<String, BinaryPublication>> byName = new HashMap<>();

    PublishedBinaries(Collection<BinaryPublication> published) {
        published.forEach(this::put);
    }

    /** The one published on exactly this name and architecture (null if none). */
    BinaryPublication exact(String name, String architecture) {
        return byName.getOrDefault(name, Map.of()).get(architecture);
    }

    /** The publications a new binary of this name and architecture replaces. */
    List<BinaryPublication> replacedBy(String name, String architecture) {
        Map<String, BinaryPublication> archs = byName.get(name);
        if (archs == null) {
            return List.of();
        }
        if (architecture.equals("all")) {
            return new ArrayList<>(archs.values());
        }
        List<BinaryPublication> out = new ArrayList<>(2);
        if (archs.containsKey(architecture)) {
            out.add(archs.get(architecture));
        }
        if (archs.containsKey("all")) {
            out.add(archs.get("all"));
        }
        return out;
    }

    /** Records a new publication, forgetting those it replaced ({@link #replacedBy}). */
    void put(BinaryPublication b) {
        Map<String, BinaryPublication> archs = byName.computeIfAbsent(b.name(), k -> new HashMap<>());
        if (b.architecture().equals("all")) {
            archs.clear();
        } else {
            archs.remove("all");
        }
        archs.put(b.architecture(), b);
    }

    /** Forgets this publication if it is the one recorded for its name and architecture; true if it was. */
    boolean remove(BinaryPublication b) {
        Map<String, BinaryPublication> archs = byName.get(b.name());
        return archs != null && archs.remove(b.architecture(), b);
    }
}
