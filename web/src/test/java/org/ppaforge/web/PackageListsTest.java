package org.ppaforge.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.archive.verb.ListPackages;
import org.ppaforge.debian.testing.RealDebs;

/** The pages' package lists follow the archive: at once after a change, at most a second behind during a stream of them. */
class PackageListsTest {
    @TempDir
    Path data;

    @TempDir
    Path work;

    @Test
    void aChangeIsShownAtOnceAndAStreamOfThemAtMostASecondLate() throws Exception {
        try (Ppaforge ppa = Ppaforge.open(data)) {
            ppa.createArchive()
                    .name("trunk")
                    .series(List.of("bookworm"))
                    .architectures(List.of("amd64"))
                    .call();
            PackageLists lists = new PackageLists(ppa);
            assertThat(lists.of("trunk", null)).isEmpty();
            include(ppa, "one");
            assertThat(names(lists.of("trunk", null))).containsExactly("one"); // a first change: at once
            include(ppa, "two");
            // A second change within a second of the last read: the list may lag, but never by more than a second.
            long until = System.nanoTime() + PackageLists.MIN_REFRESH_NANOS + 200_000_000L;
            while (!names(lists.of("trunk", null)).contains("two")) {
                assertThat(System.nanoTime())
                        .as("the list caught up within a second")
                        .isLessThan(until);
                Thread.sleep(20);
            }
            assertThat(names(lists.matching("trunk", null, "tw"))).containsExactly("two");
            assertThat(lists.matching("trunk", null, "zzz")).isEmpty();
            // Another process's change (the same data directory, another store) is seen too.
            try (Ppaforge other = Ppaforge.open(data)) {
                include(other, "three");
            }
            Thread.sleep(PackageLists.MIN_REFRESH_NANOS / 1_000_000 + 50);
            assertThat(names(lists.of("trunk", null))).containsExactly("one", "three", "two");
        }
    }

    private void include(Ppaforge ppa, String name) throws Exception {
        ppa.include()
                .archive("trunk")
                .series("bookworm")
                .files(List.of(RealDebs.build(work, name, "1.0", "amd64", "xz")))
                .call();
    }

    private static List<String> names(List<ListPackages.Entry> entries) {
        return entries.stream().map(ListPackages.Entry::source).sorted().toList();
    }
}
