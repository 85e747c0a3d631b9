package org.ppaforge.archive.publish;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.ppaforge.archive.model.Archive;
import org.ppaforge.archive.model.PublishSettings;

/** The text of {@code dists/<series>/Release}, with the fields apt checks. */
final class ReleaseFile {
    /** RFC 1123 in English, zone UTC: the only form apt accepts. */
    static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'UTC'", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);

    private ReleaseFile() {}

    static String text(Archive a, PublishSettings s, String series, Instant date, List<IndexFiles.Output> files) {
        StringBuilder sb = new StringBuilder(4096);
        sb.append("Origin: ").append(s.originOr(a.name())).append('\n');
        sb.append("Label: ").append(s.labelOr(a.name())).append('\n');
        sb.append("Suite: ").append(series).append('\n');
        sb.append("Codename: ").append(series).append('\n');
        sb.append("Date: ").append(DATE.format(date)).append('\n');
        if (s.validFor() != null) {
            sb.append("Valid-Until: ")
                    .append(DATE.format(date.plus(s.validFor())))
                    .append('\n');
        }
        sb.append("Architectures: ").append(String.join(" ", a.architectures())).append('\n');
        List<String> components = new ArrayList<>(a.components());
        for (String c : a.components()) { // COMPONENT/debug when this series publishes debug symbols in it
            String debug = Publisher.debugComponent(c);
            if (files.stream().anyMatch(o -> o.path().startsWith(debug + "/"))) {
                components.add(debug);
            }
        }
        sb.append("Components: ").append(String.join(" ", components)).append('\n');
        sb.append("Description: ")
                .append(
                        a.description().isBlank()
                                ? "ppaforge archive " + a.name()
                                : a.description().strip())
                .append('\n');
        if (s.notAutomatic()) {
            sb.append("NotAutomatic: yes\n");
        }
        if (s.butAutomaticUpgrades()) {
            sb.append("ButAutomaticUpgrades: yes\n");
        }
        sb.append("Acquire-By-Hash: yes\n");
        sb.append("SHA256:\n");
        for (IndexFiles.Output f : files) {
            sb.append(' ')
                    .append(f.sha256())
                    .append(' ')
                    .append(String.format(Locale.ROOT, "%16d", f.size()))
                    .append(' ')
                    .append(f.path())
                    .append('\n');
        }
        return sb.toString();
    }
}
