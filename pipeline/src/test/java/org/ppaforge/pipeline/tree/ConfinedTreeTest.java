package org.ppaforge.pipeline.tree;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Reading what a step left and writing a checkout, as an attacker arranges the tree. */
@Timeout(30)
class ConfinedTreeTest {
    @TempDir
    Path tree;

    @TempDir
    Path out;

    @TempDir
    Path host;

    @Test
    void artifactsAreRegularFilesOfTheTreeOwnOnly() throws Exception {
        ConfinedTree t = new ConfinedTree(tree);
        Files.writeString(host.resolve("secret.key"), "SECRET");
        Files.writeString(tree.resolve("report.xml"), "<ok/>");
        Files.createSymbolicLink(tree.resolve("shadow"), Path.of("/etc/shadow"));
        Files.createSymbolicLink(tree.resolve("key"), host.resolve("secret.key"));
        Files.createSymbolicLink(tree.resolve("dir"), host);
        Files.createLink(
                tree.resolve("hard"), host.resolve("secret.key")); // same file system: a hard link git cannot make
        Files.createDirectories(tree.resolve("sub"));
        Files.createSymbolicLink(tree.resolve("sub/inner"), Path.of("../report.xml"));

        t.copyOut("report.xml", out.resolve("report.xml"));
        assertThat(out.resolve("report.xml")).hasContent("<ok/>");
        assertThatThrownBy(() -> t.copyOut("shadow", out.resolve("shadow")))
                .isInstanceOf(ConfinedTree.Refused.class)
                .hasMessageContaining("'shadow' is a symlink (to '/etc/shadow')");
        assertThatThrownBy(() -> t.copyOut("key", out.resolve("key"))).hasMessageContaining("'key' is a symlink");
        assertThatThrownBy(() -> t.copyOut("dir/secret.key", out.resolve("x")))
                .hasMessageContaining("'dir' is a symlink")
                .hasMessageContaining("reaching 'dir/secret.key'");
        assertThatThrownBy(() -> t.copyOut("hard", out.resolve("hard")))
                .hasMessageContaining("has 2 names (a hard link)");
        assertThatThrownBy(() -> t.copyOut("sub/inner", out.resolve("inner")))
                .hasMessageContaining("'sub/inner' is a symlink");
        assertThatThrownBy(() -> t.copyOut("../" + host.getFileName() + "/secret.key", out.resolve("y")))
                .hasMessageContaining("climbs out of the tree");
        assertThatThrownBy(() -> t.copyOut(host.resolve("secret.key").toString(), out.resolve("z")))
                .hasMessageContaining("is not a path inside the tree");
        assertThatThrownBy(() -> t.copyOut("sub", out.resolve("sub")))
                .hasMessageContaining("'sub' is not a regular file");
        try (var list = Files.list(out)) {
            assertThat(list.map(p -> p.getFileName().toString())).containsExactly("report.xml");
        }
    }

    @Test
    void writesNeverGoThroughALink() throws Exception {
        ConfinedTree t = new ConfinedTree(tree);
        Files.createSymbolicLink(tree.resolve("debian"), host);
        assertThatThrownBy(() -> t.write("debian/cron", "x".getBytes(), false))
                .hasMessageContaining("'debian' is a symlink");
        Files.createDirectories(tree.resolve("d"));
        Files.createSymbolicLink(tree.resolve("d/changelog"), host.resolve("planted"));
        assertThatThrownBy(() -> t.write("d/changelog", "x".getBytes(), false))
                .hasMessageContaining("'d/changelog' is a symlink");
        assertThatThrownBy(() -> t.link("d/up", "../../x")).hasMessageContaining("outside the tree");
        assertThatThrownBy(() -> t.link("d/abs", "/etc")).hasMessageContaining("an absolute target");
        t.link("d/ok", "../debian");
        assertThat(host).isEmptyDirectory();
        t.write("a/b/c.txt", "c".getBytes(), true);
        assertThat(tree.resolve("a/b/c.txt")).hasContent("c").isExecutable();
    }
}
