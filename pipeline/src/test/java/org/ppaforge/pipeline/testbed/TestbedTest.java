package org.ppaforge.pipeline.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ppaforge.debian.checksum.Checksums;
import org.ppaforge.debian.testing.RealSources;
import org.ppaforge.farm.testing.TestChroots;

/**
 * Steps run in a testbed made from the build farm's bookworm chroot (the same cached mmdebstrap tarball as the build
 * farm's tests): isolated from the host, fresh each time, with what the step leaves collectable.
 */
class TestbedTest {
    static Testbed testbed;

    @TempDir
    Path source;

    @BeforeAll
    static void unpack() throws Exception {
        Path tarball = TestChroots.bookworm();
        testbed = Testbed.of(
                tarball,
                Checksums.of(tarball).sha256(),
                RealSources.defaultCache().resolve("testbeds"));
    }

    @Test
    void aStepRunsInTheChrootWithTheSourceAndLeavesFilesToCollect() throws Exception {
        Files.writeString(source.resolve("Makefile"), "test:\n\techo tests pass > result.txt\n");
        StringBuilder log = new StringBuilder();
        List<String> collected = new ArrayList<>();
        Testbed.Result r = testbed.run(
                source,
                "cat /etc/debian_version\nmake test\necho \"pid $$ host $(hostname) var $GREETING\"\n"
                        + "touch /etc/written-by-step\n",
                Map.of("GREETING", "it's here"),
                Duration.ofMinutes(2),
                log::append,
                src -> {
                    try {
                        collected.add(
                                Files.readString(src.resolve("result.txt")).strip());
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
        assertThat(r.passed()).as(log.toString()).isTrue();
        assertThat(log.toString()).contains("12.").contains("var it's here").containsPattern("pid \\d+ host");
        assertThat(collected).containsExactly("tests pass");
        assertThat(Files.exists(source.resolve("result.txt")))
                .as("the host's copy is untouched")
                .isFalse();
        assertThat(Files.exists(Path.of("/etc/written-by-step"))).isFalse();
        // The next run starts fresh: the previous run's writes are gone.
        StringBuilder again = new StringBuilder();
        Testbed.Result second = testbed.run(
                source,
                "test ! -e /etc/written-by-step && echo fresh\n",
                Map.of(),
                Duration.ofMinutes(1),
                again::append,
                src -> {});
        assertThat(second.passed()).as(again.toString()).isTrue();
        assertThat(again.toString()).contains("fresh");
    }

    /**
     * Root inside the testbed is nobody on the host: it cannot read a root-only file of the host (reached through /proc,
     * the one view of the host a chroot keeps), has no disk device and cannot mount one, and owns no host file. On the
     * old testbed (the host's root in a chroot, with the host's whole /dev) each of these succeeded.
     */
    @Test
    void rootInsideIsUnprivilegedOnTheHost(@TempDir Path secretDir) throws Exception {
        Path secret = Files.writeString(secretDir.resolve("secret.key"), "HOST-SECRET");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        StringBuilder log = new StringBuilder();
        String script = "id -u\n"
                + "cat /proc/1/root" + secret + " 2>&1 || echo no-proc-escape\n"
                + "cat /proc/$$/cwd/../../../..$(echo " + secret + ") 2>&1 || true\n"
                + "ls /dev | tr '\\n' ' '; echo\n"
                + "mkdir -p /mnt/x && (mount -t tmpfs none /mnt/x 2>&1 && echo mounted-tmpfs || echo no-mount-needed)\n"
                + "(mknod /tmp/sda b 8 0 && cat /tmp/sda | head -c1 && echo read-disk) 2>&1 || echo no-disk\n"
                + "cat /proc/self/uid_map\n";
        Testbed.Result r = testbed.run(source, script, Map.of(), Duration.ofMinutes(1), log::append, src -> {});
        assertThat(r.passed()).as(log.toString()).isTrue();
        assertThat(log.toString())
                .as(log.toString())
                .doesNotContain("HOST-SECRET")
                .doesNotContain("read-disk")
                .doesNotContain("sda ")
                .doesNotContain("vda ")
                .contains("no-disk");
        // uid_map: 0 inside is a subordinate id outside, never the host's 0
        assertThat(log.toString()).containsPattern("(?m)^\\s*0\\s+[1-9][0-9]*\\s+\\d+\\s*$");
    }

    @Test
    void testCellsSideBySideShareOneUnpackOfANewTestbed(@TempDir Path cache) throws Exception {
        Path tarball = TestChroots.bookworm();
        String sha = Checksums.of(tarball).sha256();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<Testbed>> beds = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                beds.add(pool.submit(() -> Testbed.of(tarball, sha, cache)));
            }
            for (Future<Testbed> f : beds) {
                assertThat(f.get(10, TimeUnit.MINUTES)).isNotNull();
            }
        } finally {
            pool.shutdownNow();
        }
        try (var entries = Files.list(cache)) {
            assertThat(entries.map(p -> p.getFileName().toString())).containsExactly(sha);
        }
        assertThat(cache.resolve(sha).resolve("usr/bin/dpkg")).exists();
    }

    @Test
    void aFailingCommandAndATimeoutAreTold() throws Exception {
        StringBuilder log = new StringBuilder();
        Testbed.Result failed = testbed.run(
                source, "echo before\nfalse\necho never\n", Map.of(), Duration.ofMinutes(1), log::append, src -> {});
        assertThat(failed.passed()).isFalse();
        assertThat(failed.exit()).isEqualTo(1);
        assertThat(log.toString()).contains("before").doesNotContain("never");
        long start = System.nanoTime();
        Testbed.Result slow = testbed.run(source, "sleep 600\n", Map.of(), Duration.ofSeconds(2), s -> {}, src -> {});
        assertThat(slow.timedOut()).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(40));
        assertThat(ProcessHandle.allProcesses()
                        .filter(p -> p.info().commandLine().orElse("").equals("sleep 600")))
                .isEmpty();
    }

    @Test
    void pruningRemovesTestbedsOfTarballsNoLongerUsedAndWhatAKillLeft(@TempDir Path cache) throws Exception {
        String current = "a".repeat(64);
        String old = "b".repeat(64);
        Files.createDirectories(cache.resolve(current + "/usr/bin"));
        Files.createDirectories(cache.resolve(old + "/usr/bin"));
        Path staleRun = Files.createDirectories(cache.resolve("run-123/upper/build"));
        Path freshRun = Files.createDirectories(cache.resolve("run-456/upper"));
        Path staleUnpack = Files.createDirectories(cache.resolve("unpacking-789/etc"));
        FileTime dayAndMore = FileTime.from(Instant.now().minus(Duration.ofHours(25)));
        Files.setLastModifiedTime(cache.resolve("run-123"), dayAndMore);
        Files.setLastModifiedTime(cache.resolve("unpacking-789"), dayAndMore);

        Testbed.prune(cache, Set.of(current));

        assertThat(cache.resolve(current)).isDirectory();
        assertThat(cache.resolve(old)).doesNotExist();
        assertThat(cache.resolve("run-123")).doesNotExist();
        assertThat(cache.resolve("unpacking-789")).doesNotExist();
        assertThat(freshRun).isDirectory(); // may belong to a run going on now
        assertThat(staleRun).doesNotExist();
        assertThat(staleUnpack).doesNotExist();
    }
}
