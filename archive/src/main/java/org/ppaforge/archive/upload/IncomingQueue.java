package org.ppaforge.archive.upload;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import org.ppaforge.archive.ArchiveException;
import org.ppaforge.debian.checksum.Checksums;

/**
 * The files of uploads in progress, one directory per archive and uploader ({@code incoming/<archive>/@<token>/}; an
 * upload without a token's name, as by an older server, in {@code incoming/<archive>/}): dput sends each file of an
 * upload, then its .changes, which is processed against the files this uploader sent. The limit per upload counts one
 * uploader's files only, so another uploader's stray files cannot block an upload, nor replace one of its files. A file
 * is written under a temporary dot-name and renamed when whole, so a broken connection leaves no half file under the real
 * name; files nobody completed an upload with are swept after an hour.
 */
public final class IncomingQueue {
    static final Duration STALE = Duration.ofHours(1);
    private final Path root;
    private final SharedIncoming shared;

    public IncomingQueue(Path root) {
        this(root, null);
    }

    /**
     * @param shared where files also go on a shared database and pool, so that the server receiving an upload's
     *     .changes finds the files other servers received (null: this directory only)
     */
    public IncomingQueue(Path root, SharedIncoming shared) {
        this.root = root;
        this.shared = shared;
    }

    /** The queue's root: one directory per archive. */
    public Path root() {
        return root;
    }

    public Path directory(String archive) {
        return root.resolve(archive);
    }

    /**
     * One uploader's queue in the archive (null: the archive's own directory, for uploads without a token's name). The
     * name (a token's, or a module's such as {@code pipeline:mytool}) is kept readable: letters, digits and {@code . _ -}
     * as they are, any other byte as {@code %XX}.
     */
    public Path directory(String archive, String uploader) {
        if (uploader == null) {
            return directory(archive);
        }
        if (uploader.isEmpty() || uploader.length() > 100) {
            throw new IllegalArgumentException("invalid uploader name '" + uploader + "'");
        }
        StringBuilder name = new StringBuilder("@");
        for (byte b : uploader.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c < 0x80 && (Character.isLetterOrDigit(c) || c == '.' || c == '_' || c == '-')) {
                name.append(c);
            } else {
                name.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return directory(archive).resolve(name.toString());
    }

    /** The uploaders with a queue in the archive (null first: the archive's own directory). */
    public List<String> uploaders(String archive) throws IOException {
        List<String> out = new ArrayList<>();
        out.add(null);
        Path dir = directory(archive);
        if (Files.isDirectory(dir)) {
            try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "@*")) {
                s.forEach(p -> out.add(URLDecoder.decode(
                        p.getFileName().toString().substring(1).replace("+", "%2B"), StandardCharsets.UTF_8)));
            }
        }
        Collections.sort(out.subList(1, out.size()));
        return out;
    }

    /**
     * Stores {@code in} as {@code name} (already checked to be a plain file name) in the archive's queue,
     * within the limits; returns its size.
     *
     * @param declared the length the client announced, or -1
     */
    public long receive(
            String archive, String uploader, String name, InputStream in, long declared, UploadLimits limits)
            throws IOException {
        Path dir = directory(archive, uploader);
        Files.createDirectories(dir);
        if (declared > limits.maxFileBytes()) {
            throw new ArchiveException(
                    ArchiveException.Kind.TOO_LARGE,
                    "File " + name + " is " + UploadLimits.human(declared) + ": the limit per file is "
                            + UploadLimits.human(limits.maxFileBytes()));
        }
        long pending = sweepAndCount(dir, name, Instant.now());
        if (shared != null) { // what the uploader sent to every server
            pending = shared.pending(archive, uploader, name);
        }
        if (declared > 0 && pending + declared > limits.maxUploadBytes()) {
            throw tooLargeUpload(name, pending + declared, limits);
        }
        Path part = dir.resolve(".part-" + name + "-" + ProcessHandle.current().pid() + "-"
                + Thread.currentThread().getId());
        long size = 0;
        java.security.MessageDigest sha256 = Checksums.sha256Digest();
        try {
            try (OutputStream out = new java.security.DigestOutputStream(Files.newOutputStream(part), sha256)) {
                byte[] buf = new byte[1 << 16];
                int n;
                while ((n = in.read(buf)) > 0) {
                    size += n;
                    if (size > limits.maxFileBytes()) {
                        throw new ArchiveException(
                                ArchiveException.Kind.TOO_LARGE,
                                "File " + name + " is larger than " + UploadLimits.human(limits.maxFileBytes())
                                        + ", the limit per file");
                    }
                    if (pending + size > limits.maxUploadBytes()) {
                        throw tooLargeUpload(name, pending + size, limits);
                    }
                    out.write(buf, 0, n);
                }
            }
            if (declared >= 0 && size != declared) {
                throw ArchiveException.invalid(
                        "File " + name + " arrived incomplete: " + size + " of " + declared + " bytes");
            }
            Files.move(part, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            if (shared != null) {
                shared.received(archive, uploader, name, dir.resolve(name), Checksums.hex(sha256.digest()), size);
            }
            return size;
        } finally {
            Files.deleteIfExists(part);
        }
    }

    /** Removes these files of an upload from the queue (processed, accepted or not). */
    public void remove(String archive, String uploader, Collection<String> names) throws IOException {
        Path dir = directory(archive, uploader);
        for (String n : names) {
            Files.deleteIfExists(dir.resolve(n));
        }
        if (shared != null) {
            shared.remove(archive, uploader, names);
        }
    }

    /**
     * Brings the files of an upload that other servers received into this server's queue (on a shared database and
     * pool; a no-op otherwise): a file is fetched when it is missing here or another server received other content
     * under its name since. What cannot be found stays missing, and the upload's checks say so.
     */
    public void gather(String archive, String uploader, Collection<String> names) throws IOException {
        if (shared != null) {
            shared.gather(archive, uploader, directory(archive, uploader), names);
        }
    }

    /**
     * One pass over the queue: removes files (and parts) older than a day, uploads that never sent their
     * .changes, and returns the bytes still waiting, the file being replaced aside.
     */
    private static long sweepAndCount(Path dir, String except, Instant now) throws IOException {
        long total = 0;
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path p : s) {
                try {
                    var attrs = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                    String n = p.getFileName().toString();
                    if (attrs.isDirectory()) {
                        continue; // another uploader's queue: not this one's to count or sweep
                    }
                    if (attrs.lastModifiedTime().toInstant().isBefore(now.minus(STALE))) {
                        Files.deleteIfExists(p);
                    } else if (!n.startsWith(".") && !n.equals(except)) {
                        total += attrs.size();
                    }
                } catch (NoSuchFileException e) {
                    // removed meanwhile
                }
            }
        }
        return total;
    }

    private static ArchiveException tooLargeUpload(String name, long total, UploadLimits limits) {
        return new ArchiveException(
                ArchiveException.Kind.TOO_LARGE,
                "Upload too large: with " + name + " it would be over " + UploadLimits.human(limits.maxUploadBytes())
                        + ", the limit per upload");
    }
}
