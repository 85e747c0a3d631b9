package org.ppaforge.archive.verb;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.archive.model.Archive;
import org.ppaforge.archive.model.BinaryPublication;
import org.ppaforge.archive.model.SourcePublication;
import org.ppaforge.archive.remote.AptRepository;
import org.ppaforge.archive.remote.RemoteException;
import org.ppaforge.debian.Version;
import org.ppaforge.debian.control.Stanza;
import org.ppaforge.debian.deb.DebPackage;
import org.ppaforge.debian.pool.PoolPath;

/**
 * What {@code ppa import} does with one component: the repository's newest entry per binary name and architecture (and,
 * with sources, per source), filtered to the packages asked for, compared with what the archive series publishes: what
 * to fetch, what to include, and (when asked) which sources the repository no longer has.
 */
final class ImportPlan {
    /** A file to fetch: where the repository has it, its size and SHA-256, and where it goes here. */
    record Wanted(String path, long size, String sha256, Path local) {}

    final String component;
    final List<Wanted> fetch = new ArrayList<>();
    final List<Path> include = new ArrayList<>();
    final List<String> publish = new ArrayList<>();
    final Set<String> removeSources = new LinkedHashSet<>();
    /** The sources whose .dsc this import includes, as Include names them ({@code name version source}). */
    final Set<String> sources = new LinkedHashSet<>();

    int listed;
    int unchanged;

    private ImportPlan(String component) {
        this.component = component;
    }

    /** What to fetch and include of one component: the newest entry per binary name and architecture, and source. */
    static ImportPlan of(
            Ppaforge ppa,
            AptRepository repo,
            Archive target,
            String targetSeries,
            String component,
            List<String> archs,
            Path work,
            Set<String> packages,
            boolean withSources,
            boolean removeMissing)
            throws IOException, InterruptedException {
        ImportPlan plan = new ImportPlan(component);
        Map<String, Stanza> binaries = new TreeMap<>();
        Set<String> sourceNames = new LinkedHashSet<>();
        for (String arch : archs) {
            String base = component + "/binary-" + arch + "/Packages";
            if (!repo.hasIndex(base)) {
                continue;
            }
            for (Stanza s : repo.index(base, work)) {
                String name = s.get("Package");
                String a = s.get("Architecture");
                String version = s.get("Version");
                if (name == null || a == null || version == null) {
                    throw new RemoteException(base + ": an entry lacks Package, Version or Architecture");
                }
                String source = DebPackage.sourceName(s);
                if (!packages.isEmpty() && !packages.contains(name) && !packages.contains(source)) {
                    continue;
                }
                String k = name + " " + a;
                Stanza best = binaries.get(k);
                if (best == null || Version.parse(version).compareTo(Version.parse(best.get("Version"))) > 0) {
                    binaries.put(k, s);
                }
                sourceNames.add(source);
            }
        }
        Map<String, Stanza> sources = new TreeMap<>();
        if (withSources) {
            String base = component + "/source/Sources";
            if (!repo.hasIndex(base)) {
                throw new RemoteException(repo.url() + " " + repo.suite() + " lists no " + base
                        + " in its InRelease: import it without --with-sources");
            }
            for (Stanza s : repo.index(base, work)) {
                String name = s.get("Package");
                if (name == null || s.get("Version") == null) {
                    throw new RemoteException(base + ": an entry lacks Package or Version");
                }
                if (!packages.isEmpty() && !packages.contains(name) && !sourceNames.contains(name)) {
                    continue;
                }
                Stanza best = sources.get(name);
                if (best == null || Version.parse(s.get("Version")).compareTo(Version.parse(best.get("Version"))) > 0) {
                    sources.put(name, s);
                }
            }
            sourceNames.addAll(sources.keySet());
        }

        Map<String, BinaryPublication> haveBinaries = new LinkedHashMap<>();
        Map<String, SourcePublication> haveSources = new LinkedHashMap<>();
        ppa.metadata().read(tx -> {
            Map<Long, SourcePublication> byId = new LinkedHashMap<>();
            for (SourcePublication p : tx.sources(target.id(), targetSeries, true)) {
                if (p.component().equals(component)) {
                    byId.put(p.id(), p);
                    haveSources.put(p.name(), p);
                }
            }
            for (BinaryPublication b : tx.publishedBinaries(target.id(), targetSeries)) {
                if (byId.containsKey(b.sourcePublicationId())) {
                    haveBinaries.put(b.name() + " " + b.architecture(), b);
                }
            }
            return null;
        });

        Path debs = Files.createDirectories(work.resolve(component).resolve("debs"));
        for (Stanza s : binaries.values()) {
            plan.listed++;
            String filename = s.get("Filename");
            String sha = s.get("SHA256");
            String size = s.get("Size");
            if (filename == null || sha == null || size == null || !size.strip().matches("[0-9]{1,15}")) {
                throw new RemoteException("the entry of " + s.get("Package") + " " + s.get("Version")
                        + " lacks Filename, Size or SHA256");
            }
            BinaryPublication have = haveBinaries.get(s.get("Package") + " " + s.get("Architecture"));
            if (have != null && have.sha256().equalsIgnoreCase(sha.strip())) {
                plan.unchanged++;
                continue;
            }
            String file = PoolPath.checkFileName(filename.substring(filename.lastIndexOf('/') + 1), "a file");
            Path local = debs.resolve(file);
            plan.fetch.add(new Wanted(filename.strip(), Long.parseLong(size.strip()), sha.strip(), local));
            plan.include.add(local);
            plan.publish.add(s.get("Package") + " " + s.get("Version") + " (" + s.get("Architecture") + ")");
        }
        for (Stanza s : sources.values()) {
            plan.listed++;
            String name = s.get("Package");
            Version version = Version.parse(s.get("Version"));
            SourcePublication have = haveSources.get(name);
            if (have != null && have.hasDsc() && have.version().equals(version)) {
                plan.unchanged++;
                continue;
            }
            List<AptRepository.SourceFile> files = AptRepository.sourceFiles(s);
            Path into = Files.createDirectories(work.resolve(component)
                    .resolve("sources")
                    .resolve(PoolPath.checkFileName(
                            name + "_" + version.toString().replace(':', '%'), "a source")));
            Path dsc = null;
            for (AptRepository.SourceFile f : files) {
                Path local = into.resolve(f.name());
                plan.fetch.add(new Wanted(f.path(), f.size(), f.sha256(), local));
                if (f.name().endsWith(".dsc")) {
                    dsc = local;
                }
            }
            plan.include.add(dsc);
            plan.publish.add(name + " " + version + " source");
            plan.sources.add(name + " " + version + " source");
        }
        if (removeMissing) {
            for (SourcePublication p : haveSources.values()) {
                if (!sourceNames.contains(p.name()) && (packages.isEmpty() || packages.contains(p.name()))) {
                    plan.removeSources.add(p.name());
                }
            }
        }
        return plan;
    }
}
