package org.ppaforge.archive.blob;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bucket copy takes the indices' SHA-256 from the suite's Release, by their paths in the tree. */
class ReleaseHashesTest {
    @TempDir
    Path tree;

    @Test
    void theReleaseListsEachIndexByItsPathInTheTree() throws Exception {
        String a = "a".repeat(64);
        String b = "b".repeat(64);
        Files.createDirectories(tree.resolve("dists/noble"));
        Files.writeString(
                tree.resolve("dists/noble/Release"),
                "Origin: trunk\nSuite: noble\nSHA256:\n " + a
                        + "          1234 main/binary-amd64/Packages\n " + b
                        + "            56 main/binary-amd64/Packages.xz\n"
                        + " not a line\n");
        assertThat(S3Trees.releaseSha256(tree, "dists/noble/Release"))
                .containsExactlyInAnyOrderEntriesOf(java.util.Map.of(
                        "dists/noble/main/binary-amd64/Packages", a,
                        "dists/noble/main/binary-amd64/Packages.xz", b));
    }
}
