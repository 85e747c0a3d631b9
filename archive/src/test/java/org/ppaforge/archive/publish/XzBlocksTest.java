package org.ppaforge.archive.publish;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.ppaforge.debian.deb.NativeXz;
import org.tukaani.xz.XZInputStream;

/**
 * A whole group's block, made by the xz tool (large data) or by XZ for Java (small data), joined with small blocks into
 * one stream that both the xz tool and XZ for Java read back as the same bytes, in that order.
 */
@Timeout(60)
class XzBlocksTest {
    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path dir;

    private static byte[] stanzas(int n, long seed) {
        Random r = new Random(seed);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append("Package: pkg-")
                    .append(i)
                    .append("\nVersion: 1.")
                    .append(r.nextInt(50))
                    .append("-1\n")
                    .append("Architecture: amd64\nMaintainer: Someone <s")
                    .append(r.nextInt(300))
                    .append("@example.org>\nInstalled-Size: ")
                    .append(r.nextInt(100000))
                    .append("\nDescription: package number ")
                    .append(i)
                    .append(" of the test\n\n");
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void wholeAndSmallBlocksMakeOneStreamThatBothDecodersRead() throws Exception {
        assertThat(NativeXz.installed()).as("the xz tool (xz-utils)").isTrue();
        byte[] large = stanzas(8000, 1); // past the size where the xz tool makes the block
        byte[] small = stanzas(50, 2);
        XzBlocks.Block whole = XzBlocks.compressWhole(large);
        XzBlocks.Block chunk = XzBlocks.compress(small);
        assertThat(whole.uncompressedSize()).isEqualTo(large.length);
        assertThat(whole.bytes().length).isLessThan(large.length / 4);
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        XzBlocks.writeStream(List.of(whole, chunk, XzBlocks.compressWhole(small)), stream);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.write(large);
        expected.write(small);
        expected.write(small);

        byte[] decoded = new XZInputStream(new ByteArrayInputStream(stream.toByteArray())).readAllBytes();
        assertThat(decoded).isEqualTo(expected.toByteArray());
        java.nio.file.Path file = dir.resolve("Packages.xz");
        java.nio.file.Files.write(file, stream.toByteArray());
        Process xz = new ProcessBuilder("xz", "-dc", file.toString()).start();
        byte[] tool = xz.getInputStream().readAllBytes();
        assertThat(xz.waitFor()).isZero();
        assertThat(tool).isEqualTo(expected.toByteArray());
    }
}
