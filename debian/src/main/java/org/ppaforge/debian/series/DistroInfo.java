package org.ppaforge.debian.series;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Debian's and Ubuntu's releases as the {@code distro-info-data} package lists them ({@code
 * /usr/share/distro-info/debian.csv} and {@code ubuntu.csv}: version, codename, series, created, release, ...): a
 * series' release number ({@code 12} for bookworm, {@code 22.04} for jammy) and the order the releases came in. The
 * package is updated with every release, so nothing here is written down by hand.
 */
public final class DistroInfo {
    /** Where distro-info-data keeps its tables. */
    public static final Path DEFAULT_DIRECTORY = Path.of("/usr/share/distro-info");

    /**
     * One release.
     *
     * @param distro {@code debian} or {@code ubuntu}
     * @param series the codename as apt uses it ({@code bookworm}, {@code jammy})
     * @param number the release number without " LTS" ({@code 12}, {@code 22.04}), or null (sid, experimental)
     * @param position its place in its table (the order the releases were made in)
     */
    public record Release(String distro, String series, String number, int position) {
        /**
         * The suffix Debian and Ubuntu give a package built for this release: {@code deb12}, {@code ubuntu22.04}; null
         * without a number.
         */
        public String suffix() {
            return number == null ? null : (distro.equals("debian") ? "deb" : "ubuntu") + number;
        }
    }

    private final List<Release> releases;

    private DistroInfo(List<Release> releases) {
        this.releases = List.copyOf(releases);
    }

    private static volatile DistroInfo system;

    /** The tables of this machine (none when distro-info-data is not installed: every series is then unknown). */
    public static DistroInfo system() {
        DistroInfo d = system;
        if (d == null) {
            d = read(DEFAULT_DIRECTORY);
            system = d;
        }
        return d;
    }

    /** The tables in {@code dir}; a missing or unreadable table counts as empty. */
    public static DistroInfo read(Path dir) {
        List<Release> out = new ArrayList<>();
        for (String distro : List.of("debian", "ubuntu")) {
            Path csv = dir.resolve(distro + ".csv");
            List<String> lines;
            try {
                lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
            } catch (IOException e) {
                continue;
            }
            int position = 0;
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                String[] f = line.split(",", -1);
                if (f.length < 3 || f[2].isBlank()) {
                    continue;
                }
                String number = f[0].replace(" LTS", "").strip();
                out.add(new Release(distro, f[2].strip(), number.isEmpty() ? null : number, position++));
            }
        }
        return new DistroInfo(out);
    }

    /** The release of this series, if either table names it. */
    public Optional<Release> release(String series) {
        return releases.stream().filter(r -> r.series().equals(series)).findFirst();
    }

    /**
     * The series in release order where both are releases of one distribution known here; otherwise their given order
     * (the sort is stable).
     */
    public List<String> inReleaseOrder(List<String> series) {
        List<String> out = new ArrayList<>(series);
        out.sort(Comparator.comparingInt(s -> release(s)
                .filter(r -> r.number() != null)
                .map(Release::position)
                .orElse(Integer.MAX_VALUE)));
        boolean allKnown = series.stream()
                .allMatch(s -> release(s).filter(r -> r.number() != null).isPresent());
        boolean oneDistro = series.stream()
                        .map(s -> release(s).map(Release::distro).orElse("?"))
                        .distinct()
                        .count()
                <= 1;
        return allKnown && oneDistro ? out : List.copyOf(series);
    }
}
