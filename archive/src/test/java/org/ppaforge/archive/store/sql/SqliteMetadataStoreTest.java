package org.ppaforge.archive.store.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ppaforge.archive.model.Archive;

/** The embedded store on a real SQLite file. */
class SqliteMetadataStoreTest {
    @TempDir
    Path dir;

    @Test
    void aReadInOneThreadSeesTheLastCommitWhileAWriteTransactionIsOpenInAnother() throws Exception {
        try (SqliteMetadataStore store = new SqliteMetadataStore(dir.resolve("ppaforge.db"))) {
            store.write(tx ->
                    tx.createArchive("trunk", "", List.of("noble"), List.of("main"), List.of("amd64"), Instant.now()));
            CountDownLatch inside = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> store.write(tx -> {
                tx.createArchive("release", "", List.of("noble"), List.of("main"), List.of("amd64"), Instant.now());
                inside.countDown();
                await(release); // the write transaction stays open until the read below is done
                return null;
            }));
            assertThat(inside.await(30, TimeUnit.SECONDS)).isTrue();

            // The read must not wait for the open write: it answers from the last commit.
            CompletableFuture<List<String>> read = CompletableFuture.supplyAsync(() ->
                    store.read(tx -> tx.archives().stream().map(Archive::name).toList()));
            try {
                assertThat(read.get(30, TimeUnit.SECONDS)).containsExactly("trunk");
            } finally {
                release.countDown();
            }
            writer.get(30, TimeUnit.SECONDS);
            List<String> after = store.read(
                    tx -> tx.archives().stream().map(Archive::name).sorted().toList());
            assertThat(after).containsExactly("release", "trunk");
        }
    }

    @Test
    void readsInDifferentThreadsRunAtOnceAndAReadInsideAReadSharesItsSnapshot() throws Exception {
        try (SqliteMetadataStore store = new SqliteMetadataStore(dir.resolve("ppaforge.db"))) {
            store.write(tx ->
                    tx.createArchive("trunk", "", List.of("noble"), List.of("main"), List.of("amd64"), Instant.now()));
            // A long read (a republish's snapshot of a big archive) holds its connection; reads in other threads go on.
            CountDownLatch inside = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<List<String>> longRead = CompletableFuture.supplyAsync(() -> store.read(tx -> {
                List<String> before = tx.archives().stream().map(Archive::name).toList();
                inside.countDown();
                await(release);
                // A nested read in the same thread sees the outer read's snapshot, not the write committed meanwhile,
                // and leaves the outer read's transaction open.
                List<String> nested =
                        store.read(t -> t.archives().stream().map(Archive::name).toList());
                List<String> after = tx.archives().stream().map(Archive::name).toList();
                assertThat(nested).isEqualTo(before);
                assertThat(after).isEqualTo(before);
                return after;
            }));
            assertThat(inside.await(30, TimeUnit.SECONDS)).isTrue();
            try {
                store.write(tx -> tx.createArchive(
                        "release", "", List.of("noble"), List.of("main"), List.of("amd64"), Instant.now()));
                // More reads at once than there are reading connections: they share them, and all finish.
                List<CompletableFuture<List<String>>> others = new ArrayList<>();
                for (int i = 0; i < SqliteMetadataStore.MAX_READERS * 3; i++) {
                    others.add(CompletableFuture.supplyAsync(() -> store.read(tx ->
                            tx.archives().stream().map(Archive::name).sorted().toList())));
                }
                for (CompletableFuture<List<String>> f : others) {
                    assertThat(f.get(30, TimeUnit.SECONDS))
                            .as("a read while another read is open")
                            .containsExactly("release", "trunk");
                }
                assertThat(longRead.isDone()).isFalse();
            } finally {
                release.countDown();
            }
            assertThat(longRead.get(30, TimeUnit.SECONDS)).containsExactly("trunk");
            Assertions.assertThatThrownBy(() -> store.read(tx -> store.write(t -> null)))
                    .hasMessageContaining("a write may not start inside a read");
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
