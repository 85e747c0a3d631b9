package org.ppaforge.web;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import org.ppaforge.archive.model.Archive;
import org.ppaforge.archive.verb.ShowSource;
import org.ppaforge.common.Names;
import org.ppaforge.debian.control.Deb822Reader;
import org.ppaforge.debian.control.Stanza;
import org.ppaforge.debian.relation.Relation;
import org.ppaforge.debian.relation.Relations;
import org.ppaforge.farm.Build;
import org.ppaforge.web.view.PackageView;

/**
 * A source's page in an archive: one section per publication shown (each series' published version, and a superseded
 * version whose binaries are left), each with that publication's own binaries (what each is: its descriptions and
 * control fields, relations linked to the packages the archive has), source files and changelog; then the history and
 * the builds.
 */
final class PackagePage {
    /** The relation fields a page shows, in this order. */
    static final List<String> RELATIONS =
            List.of("Pre-Depends", "Depends", "Recommends", "Suggests", "Conflicts", "Breaks", "Replaces", "Provides");

    private final Web web;
    private final ArchivePages archives;

    PackagePage(Web web, ArchivePages archives) {
        this.web = web;
        this.archives = archives;
    }

    void register() {
        web.get("/(" + Names.ARCHIVE_RE + ")/\\+package/([^/]+)", this::page);
    }

    private WebResponse page(Web.Context c, Matcher m) {
        Archive a = archives.readable(c, m.group(1));
        String source = m.group(2);
        var history = web.ppa.history().archive(a.name()).source(source).call();
        Map<String, String> sourceOf = web.packageLists.sourceOf(a.name()); // for the links of relations
        List<PackageView.Publication> publications = new ArrayList<>();
        for (ShowSource.Version v :
                web.ppa.showSource().archive(a.name()).source(source).call()) {
            boolean published = v.status().equals("published");
            List<ShowSource.BinaryFile> binaries = v.binaries().stream()
                    .filter(b -> b.status().equals("published"))
                    .toList();
            if (!published && binaries.isEmpty()) {
                continue; // history only
            }
            publications.add(new PackageView.Publication(
                    v.series(),
                    v.component(),
                    v.version(),
                    published,
                    v.files().stream()
                            .map(f -> new PackageView.FileRow(f.filename(), f.size()))
                            .toList(),
                    v.stanza() == null ? null : Changelogs.latest(web.ppa, v),
                    binaries(a.name(), binaries, sourceOf)));
        }
        List<Build> builds =
                web.builds.list().archive(a.name()).source(source).limit(20).call();
        return c.render(
                "package.jte",
                new PackageView(
                        c.page(source + " in " + a.name(), "archives"),
                        a.name(),
                        source,
                        publications,
                        history,
                        builds));
    }

    /** One entry per binary package name and version, its architectures' files together. */
    private static List<PackageView.BinaryInfo> binaries(
            String archive, List<ShowSource.BinaryFile> files, Map<String, String> sourceOf) {
        Map<String, List<ShowSource.BinaryFile>> byName = new LinkedHashMap<>();
        for (ShowSource.BinaryFile f : files) {
            byName.computeIfAbsent(f.name() + " " + f.version(), k -> new ArrayList<>())
                    .add(f);
        }
        List<PackageView.BinaryInfo> out = new ArrayList<>();
        for (List<ShowSource.BinaryFile> same : byName.values()) {
            ShowSource.BinaryFile first = same.get(0);
            Stanza control = parse(first.control());
            String description =
                    control == null ? "" : control.find("Description").orElse("");
            int nl = description.indexOf('\n');
            String summary = (nl < 0 ? description : description.substring(0, nl)).strip();
            List<String> paragraphs = nl < 0 ? List.of() : longDescription(description.substring(nl + 1));
            List<PackageView.RelationField> relations = new ArrayList<>();
            for (String field : RELATIONS) {
                String value = control == null ? null : control.find(field).orElse(null);
                if (value != null && !value.isBlank()) {
                    relations.add(new PackageView.RelationField(field, links(archive, value, sourceOf)));
                }
            }
            out.add(new PackageView.BinaryInfo(
                    first.name(),
                    first.version(),
                    summary,
                    paragraphs,
                    field(control, "Section"),
                    field(control, "Priority"),
                    homepage(field(control, "Homepage")),
                    field(control, "Installed-Size"),
                    field(control, "Maintainer"),
                    relations,
                    same.stream()
                            .map(f -> new PackageView.DebFile(f.architecture(), f.filename(), f.size()))
                            .toList()));
        }
        return out;
    }

    private static Stanza parse(String control) {
        if (control == null || control.isBlank()) {
            return null;
        }
        try {
            return Deb822Reader.parseSingle(control, "control");
        } catch (RuntimeException e) {
            return null; // a page without the fields, never a broken page
        }
    }

    private static String field(Stanza s, String name) {
        return s == null ? null : s.find(name).map(String::strip).orElse(null);
    }

    /** Only http(s) links are made links; anything else is shown as text. */
    private static String homepage(String value) {
        return value == null || !(value.startsWith("https://") || value.startsWith("http://")) ? null : value;
    }

    /**
     * The extended description as paragraphs, per Debian Policy 5.6.13: a line " ." separates paragraphs; lines
     * starting with two spaces are shown verbatim (kept with their line breaks), others flow together.
     */
    static List<String> longDescription(String text) {
        List<String> paragraphs = new ArrayList<>();
        StringBuilder p = new StringBuilder();
        for (String raw : text.split("\n", -1)) {
            String line = raw.startsWith(" ") ? raw.substring(1) : raw;
            if (line.strip().equals(".")) {
                if (!p.isEmpty()) {
                    paragraphs.add(p.toString());
                    p.setLength(0);
                }
                continue;
            }
            if (!p.isEmpty()) {
                p.append(line.startsWith(" ") ? "\n" : " ");
            }
            p.append(line.startsWith(" ") ? line : line.strip());
        }
        if (!p.toString().isBlank()) {
            paragraphs.add(p.toString());
        }
        return paragraphs;
    }

    /** A relation field's groups, each alternative linked to the source page that publishes it in the archive. */
    private static List<List<PackageView.Link>> links(String archive, String value, Map<String, String> sourceOf) {
        List<List<PackageView.Link>> groups = new ArrayList<>();
        Relations parsed;
        try {
            parsed = Relations.parse(value);
        } catch (RuntimeException e) {
            return List.of(List.of(new PackageView.Link(value.strip(), null)));
        }
        for (List<Relation> group : parsed.groups()) {
            List<PackageView.Link> alternatives = new ArrayList<>();
            for (Relation r : group) {
                String target = sourceOf.get(r.name());
                alternatives.add(new PackageView.Link(
                        r.toString(), target == null ? null : "/" + archive + "/+package/" + target));
            }
            groups.add(alternatives);
        }
        return groups;
    }
}
