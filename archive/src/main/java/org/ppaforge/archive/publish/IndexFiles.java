package org.ppaforge.archive.publish;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Writes an index's files into a published tree the way clients mid-update need: each
 * form first under {@code by-hash/SHA256/<hash>} (never overwritten, so a client holding
 * the previous Release still finds the files it names), then under its plain name by an
 * atomic rename. The Release that names them is written last, by the caller.
 */
final class IndexFiles {
    /** One file as a Release lists it. */
    record Output(String path, String sha256, long size) {}

    enum Form {
        PLAIN(""),
        GZ(".gz"),
        XZ(".xz");

        final String suffix;

        Form(String suffix) {
            this.suffix = suffix;
        }
    }

    private IndexFiles() {}

    /**
     * Writes {@code base} (e.g. {@code main/binary-amd64/Packages}, relative to {@code dist})
     * in the given forms; {@code listPlain} lists the uncompressed form in the Release even
     * when it is not written (apt checks decompressed bytes against it).
     */
    static List<Output> write(
            Path dist,
            String base,
            List<Chunk> chunks,
            List<XzBlocks.Block> xz,
            List<Form> forms,
            boolean listPlain,
            List<Path> current)
            throws IOException {
        Path file = dist.resolve(base);
        Path byHash = file.getParent().resolve("by-hash").resolve("SHA256");
        Files.createDirectories(byHash);
        List<Output> out = new ArrayList<>();
        if (listPlain && !forms.contains(Form.PLAIN)) {
            MessageDigest d = IndexBuilder.sha256();
            long size = 0;
            for (Chunk c : chunks) {
                d.update(c.plain());
                size += c.plain().length;
            }
            out.add(new Output(base, HexFormat.of().formatHex(d.digest()), size));
        }
        // The forms are written (and hashed) in parallel: hashing 15 MB of plain Packages is most of a republish.
        List<Output> written = forms.parallelStream()
                .map(form -> {
                    try {
                        return writeForm(file, byHash, base, chunks, xz, form);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                })
                .toList();
        for (Output o : written) {
            current.add(byHash.resolve(o.sha256()));
            out.add(o);
        }
        return out;
    }

    private static Output writeForm(
            Path file, Path byHash, String base, List<Chunk> chunks, List<XzBlocks.Block> xz, Form form)
            throws IOException {
        Path tmp = byHash.resolve(".tmp-" + file.getFileName() + form.suffix + "-"
                + ProcessHandle.current().pid() + "-" + Thread.currentThread().getId());
        MessageDigest d = IndexBuilder.sha256();
        long size;
        try (CountingOutputStream count = new CountingOutputStream(Files.newOutputStream(tmp));
                OutputStream o = new BufferedOutputStream(new DigestOutputStream(count, d), 1 << 16)) {
            switch (form) {
                case PLAIN -> {
                    for (Chunk c : chunks) {
                        o.write(c.plain());
                    }
                }
                case GZ -> {
                    if (chunks.isEmpty()) {
                        o.write(Chunk.gzip(new byte[0]));
                    }
                    for (Chunk c : chunks) {
                        o.write(c.gz());
                    }
                }
                case XZ ->
                    XzBlocks.writeStream(
                            xz != null ? xz : chunks.stream().map(Chunk::xz).toList(), o);
            }
            o.flush();
            size = count.count;
        }
        String hex = HexFormat.of().formatHex(d.digest());
        Path hashed = byHash.resolve(hex);
        if (Files.exists(hashed)) {
            Files.delete(tmp);
        } else {
            Files.move(tmp, hashed, StandardCopyOption.ATOMIC_MOVE);
        }
        Files.setLastModifiedTime(hashed, FileTime.fromMillis(System.currentTimeMillis()));
        return new Output(base + form.suffix, hex, size);
    }

    /** Points the plain names at their by-hash files (hard links, renamed into place). */
    static void linkNames(Path dist, List<Output> outputs) throws IOException {
        for (Output o : outputs) {
            Path file = dist.resolve(o.path());
            Path hashed = file.getParent().resolve("by-hash").resolve("SHA256").resolve(o.sha256());
            if (!Files.exists(hashed)) {
                continue; // listed only (an uncompressed form that is not shipped)
            }
            if (Files.exists(file) && Files.isSameFile(file, hashed)) {
                continue; // already that content (renaming a link onto itself would do nothing and leave the link)
            }
            Path tmp = file.resolveSibling(
                    ".tmp-" + file.getFileName() + "-" + ProcessHandle.current().pid());
            Files.deleteIfExists(tmp);
            try {
                Files.createLink(tmp, hashed);
            } catch (UnsupportedOperationException | IOException e) {
                Files.copy(hashed, tmp, StandardCopyOption.REPLACE_EXISTING);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    static final class CountingOutputStream extends FilterOutputStream {
        long count;

        CountingOutputStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }
}
