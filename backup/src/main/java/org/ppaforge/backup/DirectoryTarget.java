package org.ppaforge.backup;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;
import org.ppaforge.common.ForgeException;

/**
 * A target in a directory (a mounted drive, a share). Packs (and the single-blob objects of the first format) are spread over 256 subdirectories by the first two
 * characters of their names; half-written objects are {@code .tmp-*} files, ignored by every listing and removed by the
 * next backup.
 */
final class DirectoryTarget implements Target {
    private final Path root;

    DirectoryTarget(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    private Path path(String name) {
        if (!name.matches("[a-z]+(/[0-9a-zA-Z._-]+)?")) {
            throw ForgeException.invalid("not an object name: " + name);
        }
        int slash = name.indexOf('/');
        String dir = slash < 0 ? "" : name.substring(0, slash);
        if (dir.equals("data") || dir.equals("packs")) {
            String id = name.substring(slash + 1);
            return root.resolve(dir).resolve(id.substring(0, 2)).resolve(id);
        }
        return root.resolve(name);
    }

    @Override
    public boolean exists(String name) {
        return Files.isRegularFile(path(name));
    }

    @Override
    public Set<String> list(String prefix) throws IOException {
        Path dir = root.resolve(prefix.replaceAll("/$", ""));
        Set<String> out = new HashSet<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> s = Files.walk(dir, prefix.equals("data/") || prefix.equals("packs/") ? 2 : 1)) {
            s.filter(Files::isRegularFile)
                    .map(p -> p.getFileName().toString())
                    .filter(n -> !n.startsWith(".tmp-"))
                    .forEach(out::add);
        }
        return out;
    }

    @Override
    public InputStream open(String name) throws IOException {
        try {
            return Files.newInputStream(path(name));
        } catch (NoSuchFileException e) {
            throw ForgeException.notFound("the target has no " + name);
        }
    }

    @Override
    public InputStream open(String name, long offset, long length) throws IOException {
        try {
            FileChannel ch = FileChannel.open(path(name), StandardOpenOption.READ);
            ch.position(offset);
            return new Bounded(Channels.newInputStream(ch), length);
        } catch (NoSuchFileException e) {
            throw ForgeException.notFound("the target has no " + name);
        }
    }

    @Override
    public void write(String name, Writer writer) throws IOException {
        Path p = path(name);
        Files.createDirectories(p.getParent());
        Path tmp = Files.createTempFile(p.getParent(), ".tmp-", "");
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
                writer.write(out);
            }
            Files.move(tmp, p, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Everything written so far on the disk, in one {@code syncfs} of the target's file system (one per backup, before
     * its snapshot, instead of one per object: forty thousand of those took most of a backup's time).
     */
    @Override
    public void sync() throws IOException {
        try {
            Process p = new ProcessBuilder("sync", "-f", root.toString())
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IOException("sync -f " + root + " failed: " + out.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while syncing " + root, e);
        }
    }

    @Override
    public void delete(String name) throws IOException {
        Files.deleteIfExists(path(name));
    }

    @Override
    public long size(String name) throws IOException {
        return Files.size(path(name));
    }

    /** Half-written objects a killed backup left an hour or more ago (a running backup's are younger). */
    void sweep() throws IOException {
        if (!Files.isDirectory(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root, 3)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (p.getFileName().toString().startsWith(".tmp-")
                        && Files.getLastModifiedTime(p)
                                .toInstant()
                                .isBefore(Instant.now().minusSeconds(3600))) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
