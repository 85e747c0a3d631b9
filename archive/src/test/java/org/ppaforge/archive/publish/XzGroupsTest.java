package org.ppaforge.archive.publish;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ppaforge.debian.testing.Tools;

/**
 * Packages.xz made of grouped blocks, on the real bookworm index (20,000 entries): xz itself reads it back byte for byte,
 * it is within 5 % of what {@code xz -6} (reprepro's compression) makes of the same text, and after one entry changes the
 * changed group goes out in small blocks at once and as one block again once the background made it.
 */
class XzGroupsTest {
    static List<String> stanzas = new ArrayList<>();

    @TempDir
    Path dir;

    @BeforeAll
    static void index(@TempDir Path tmp) throws IOException {
        String all = Files.readString(Tools.realPackagesIndex(tmp), StandardCharsets.UTF_8);
        for (String s : all.split("\n\n")) {
            if (!s.isBlank() && stanzas.size() < 20_000) {
                stanzas.add(s + "\n\n");
            }
        }
    }

    @AfterEach
    void foreground() {
        Publisher.regroupInBackground(false);
        System.clearProperty("ppaforge.regroupMaxDelayMillis");
    }

    private static List<IndexBuilder.Item> items(List<String> texts) {
        List<IndexBuilder.Item> items = new ArrayList<>();
        for (String s : texts) {
            String name = s.substring("Package: ".length(), s.indexOf('\n'));
            items.add(new IndexBuilder.Item(name, Integer.toHexString(s.hashCode()) + "/" + name));
        }
        return items;
    }

    private static IndexBuilder.Renderer renderer(List<String> texts) {
        Map<String, byte[]> byIdentity = new HashMap<>();
        List<IndexBuilder.Item> items = items(texts);
        for (int i = 0; i < texts.size(); i++) {
            byIdentity.put(items.get(i).identity(), texts.get(i).getBytes(StandardCharsets.UTF_8));
        }
        return its -> {
            Map<String, byte[]> out = new HashMap<>();
            its.forEach(i -> out.put(i.identity(), byIdentity.get(i.identity())));
            return out;
        };
    }

    private record Written(byte[] xz, int blocks) {}

    private Written publish(List<String> texts, ChunkCache cache) throws IOException {
        IndexBuilder.Plan plan = IndexBuilder.plan("Packages", items(texts));
        IndexBuilder.Loaded loaded = IndexBuilder.load(plan, renderer(texts), cache, new IndexBuilder.Stats());
        List<XzBlocks.Block> blocks =
                XzGroups.blocks(plan, loaded.chunks(), loaded.rebuilt(), cache).blocks();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        XzBlocks.writeStream(blocks, out);
        return new Written(out.toByteArray(), blocks.size());
    }

    private byte[] xz(String args, byte[] input) throws Exception {
        Path in = Files.write(dir.resolve("in-" + System.nanoTime()), input);
        Process p = new ProcessBuilder(List.of("sh", "-c", "xz " + args + " < '" + in + "'")).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor())
                .as(new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8))
                .isZero();
        return out;
    }

    @Test
    void groupedBlocksAreWithinFivePercentOfXzAndAChangedGroupIsRegroupedInTheBackground() throws Exception {
        ChunkCache cache = new ChunkCache(dir.resolve("cache"));
        Publisher.regroupInBackground(true);
        byte[] plain = String.join("", stanzas).getBytes(StandardCharsets.UTF_8);
        double reference = xz("-6 -c", plain).length;

        Written first = publish(stanzas, cache);
        assertThat(xz("-dc", first.xz())).isEqualTo(plain);
        assertThat(first.xz().length / reference)
                .as("against xz -6: %d bytes", (long) reference)
                .isLessThanOrEqualTo(1.05);
        int groups = first.blocks();
        assertThat(groups).isBetween(2, 20); // grouped, and not one block: a change recompresses one group only

        XzGroups.awaitIdle(60_000); // the chunks' own blocks, made in the background after a bulk publish

        // One entry changes: at once, its group goes out as small blocks (nothing large is recompressed now).
        List<String> changed = new ArrayList<>(stanzas);
        changed.set(9_000, changed.get(9_000).replaceFirst("\nVersion: ", "\nVersion: 99:"));
        byte[] changedPlain = String.join("", changed).getBytes(StandardCharsets.UTF_8);
        System.setProperty("ppaforge.regroupMaxDelayMillis", "5000");
        XzGroups.publishing(); // as Publisher does
        Written second = publish(changed, cache);
        assertThat(xz("-dc", second.xz())).isEqualTo(changedPlain);
        assertThat(second.blocks()).isGreaterThan(groups);

        // While publishes keep coming (a burst of uploads), the background waits: no group is compressed between them.
        long until = System.nanoTime() + 2_500_000_000L;
        while (System.nanoTime() < until) {
            XzGroups.publishing();
            Thread.sleep(100);
        }
        assertThat(publish(changed, cache).blocks()).isGreaterThan(groups);

        // ... but not for ever: publishes that never pause still get the group made once it has waited its longest
        // (here 5 s since the change queued it).
        until = System.nanoTime() + 30_000_000_000L;
        boolean made = false;
        while (!made && System.nanoTime() < until) {
            XzGroups.publishing();
            Thread.sleep(100);
            made = publish(changed, cache).blocks() == groups;
        }
        assertThat(made).as("made while publishes kept coming").isTrue();
        System.clearProperty("ppaforge.regroupMaxDelayMillis");

        // Once the background made the group's block, the next publish (here: of the same entries) uses it.
        XzGroups.awaitIdle(60_000);
        Written third = publish(changed, cache);
        assertThat(third.blocks()).isEqualTo(groups);
        assertThat(xz("-dc", third.xz())).isEqualTo(changedPlain);
        assertThat(third.xz().length / reference).isLessThanOrEqualTo(1.05);
    }

    @Test
    void aBulkPublishMakesWholeGroupsOnlyAndAChangeMakesItsGroupsSmallBlocksThen() throws Exception {
        ChunkCache cache = new ChunkCache(dir.resolve("cache-lazy"));
        IndexBuilder.Plan plan = IndexBuilder.plan("Packages", items(stanzas));
        Written first = publish(stanzas, cache);
        assertThat(xz("-dc", first.xz())).isEqualTo(String.join("", stanzas).getBytes(StandardCharsets.UTF_8));
        assertThat(plan.keys()).allSatisfy(k -> assertThat(cache.get(k).xz()).isNull());

        List<String> changed = new ArrayList<>(stanzas);
        changed.set(9_000, changed.get(9_000).replaceFirst("\nVersion: ", "\nVersion: 99:"));
        Written second = publish(changed, cache);
        assertThat(xz("-dc", second.xz())).isEqualTo(String.join("", changed).getBytes(StandardCharsets.UTF_8));
        IndexBuilder.Plan after = IndexBuilder.plan("Packages", items(changed));
        long withBlocks =
                after.keys().stream().filter(k -> cache.get(k).xz() != null).count();
        // Only the changed group's chunks got their own blocks (and kept them), not the other groups'.
        assertThat(withBlocks).isPositive().isLessThan(after.keys().size());
        assertThat(second.blocks() - first.blocks()).isEqualTo(withBlocks - 1);
    }
}
