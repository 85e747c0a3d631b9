package org.ppaforge.debian.deb;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.compress.archivers.ar.ArArchiveEntry;
import org.apache.commons.compress.archivers.ar.ArArchiveInputStream;
import org.ppaforge.debian.FormatException;
import org.ppaforge.debian.PackageName;
import org.ppaforge.debian.Version;
import org.ppaforge.debian.checksum.DigestingInputStream;
import org.ppaforge.debian.control.Deb822Reader;
import org.ppaforge.debian.control.Stanza;

/**
 * Reads a binary package (deb(5)): an ar archive of {@code debian-binary},
 * {@code control.tar[.gz|.xz|.zst]} and {@code data.tar[.gz|.xz|.zst|.bz2|.lzma]}, in
 * one pass over the bytes that also computes the file's checksums.
 */
public final class DebReader {
    private static final byte[] AR_MAGIC = "!<arch>\n".getBytes(StandardCharsets.US_ASCII);

    private DebReader() {}

    public static DebPackage read(Path file) throws IOException {
        return read(file, UnpackLimits.DEFAULT);
    }

    /** Reads a .deb file within these limits on what it unpacks to. */
    public static DebPackage read(Path file, UnpackLimits limits) throws IOException {
        // Small packages (most) are read in one call; big ones stream.
        try (FileChannel ch = FileChannel.open(file)) {
            long size = ch.size();
            if (size <= SMALL) {
                ByteBuffer buffer = ByteBuffer.allocate((int) size);
                while (buffer.hasRemaining() && ch.read(buffer) >= 0) {
                    // fill
                }
                return read(new ByteArrayInputStream(buffer.array(), 0, buffer.position()), file.toString(), limits);
            }
            return read(new BufferedInputStream(Channels.newInputStream(ch), 1 << 16), file.toString(), limits);
        }
    }

    private static final long SMALL = 4L << 20;

    /**
     * Reads a .deb from a stream to its end.
     *
     * @param name the file name used in error messages
     * @throws FormatException when the input is not a valid .deb, naming the file, the
     *     member and the problem
     */
    public static DebPackage read(InputStream raw, String name) throws IOException {
        return read(raw, name, UnpackLimits.DEFAULT);
    }

    /** Reads a .deb from a stream to its end, within these limits on what it unpacks to. */
    public static DebPackage read(InputStream raw, String name, UnpackLimits limits) throws IOException {
        if (!(raw instanceof ByteArrayInputStream) && !(raw instanceof BufferedInputStream)) {
            raw = new BufferedInputStream(raw, 1 << 16);
        }
        DigestingInputStream digesting = new DigestingInputStream(raw);
        PushbackInputStream arInput = new PushbackInputStream(digesting, AR_MAGIC.length);
        byte[] magic = arInput.readNBytes(AR_MAGIC.length);
        if (magic.length == 0) {
            throw new FormatException(name, "not a Debian package: the file is empty");
        }
        if (!Arrays.equals(magic, AR_MAGIC)) {
            throw new FormatException(name, "not a Debian package: no ar archive signature ('!<arch>')");
        }
        arInput.unread(magic); // the ar reader checks the signature itself
        Stanza control = null;
        List<String> controlFiles = new ArrayList<>();
        List<DataEntry> dataEntries = null;
        Compression controlCompression = null;
        Compression dataCompression = null;
        int index = 0;
        byte[] scratch = new byte[8192];
        try {
            // Not closed here: the caller owns the underlying stream.
            ArArchiveInputStream ar = new ArArchiveInputStream(arInput);
            ArArchiveEntry entry;
            while ((entry = nextEntry(ar, name)) != null) {
                String member = entry.getName();
                if (member.endsWith("/")) {
                    member = member.substring(0, member.length() - 1);
                }
                Counting body = new Counting(ar);
                if (index == 0) {
                    if (!member.equals("debian-binary")) {
                        throw new FormatException(name, "first member is '" + member + "', expected 'debian-binary'");
                    }
                    String formatVersion = new String(body.readNBytes(64), StandardCharsets.US_ASCII);
                    if (!formatVersion.startsWith("2.")) {
                        throw new FormatException(
                                name,
                                "unsupported package format version '" + formatVersion.strip() + "' in debian-binary");
                    }
                } else if (member.startsWith("control.tar")) {
                    controlCompression = compression(
                            name,
                            member,
                            "control.tar",
                            Compression.NONE,
                            Compression.GZIP,
                            Compression.XZ,
                            Compression.ZSTD);
                    // Closing the decompressor frees its native memory; Counting keeps the ar stream open.
                    try (InputStream in = new Bounded(
                            controlCompression.decompress(body), limits.allowed(entry.getLength()), name, member)) {
                        control = readControl(in, name, member, controlFiles, scratch);
                    }
                } else if (member.startsWith("data.tar")) {
                    if (control == null) {
                        throw new FormatException(name, "member '" + member + "' comes before the control member");
                    }
                    dataCompression = compression(name, member, "data.tar", Compression.values());
                    try (InputStream in = new Bounded(
                            dataCompression.decompress(body, entry.getLength()),
                            limits.allowed(entry.getLength()),
                            name,
                            member)) {
                        dataEntries = readData(in, scratch, name, member, limits.maxEntries());
                    }
                } else if (member.startsWith("_")) {
                    // Reserved for additions (signatures); ignored as dpkg does.
                } else if (dataEntries == null) {
                    throw new FormatException(name, "unexpected member '" + member + "'");
                }
                while (body.read(scratch, 0, scratch.length) >= 0) {
                    // drain the rest of the member (compressed padding)
                }
                if (body.count < entry.getLength()) {
                    throw new FormatException(
                            name,
                            "truncated: member '" + member + "' declares " + entry.getLength()
                                    + " bytes but the file ends after " + body.count);
                }
                index++;
            }
            while (digesting.read(scratch, 0, scratch.length) >= 0) {
                // the rest of the file, for the checksums
            }
        } catch (FormatException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new FormatException(name, "corrupt or truncated package: " + describe(e), e);
        }
        if (index == 0) {
            throw new FormatException(name, "not a Debian package: the ar archive is empty");
        }
        if (control == null) {
            throw new FormatException(name, "no control member (control.tar*)");
        }
        if (dataEntries == null) {
            throw new FormatException(name, "no data member (data.tar*): the file may be truncated");
        }
        return new DebPackage(
                name,
                control,
                List.copyOf(controlFiles),
                List.copyOf(dataEntries),
                controlCompression,
                dataCompression,
                digesting.checksums());
    }

    private static ArArchiveEntry nextEntry(ArArchiveInputStream ar, String name) throws IOException {
        try {
            return ar.getNextEntry();
        } catch (IOException e) {
            throw new FormatException(name, "corrupt or truncated ar archive: " + describe(e), e);
        }
    }

    /** Counts bytes and ignores close(), so decompressors cannot close the ar stream under us. */
    private static final class Counting extends FilterInputStream {
        long count;

        Counting(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public void close() {}
    }

    /** A decompressed member, stopped with a FormatException past {@code max} bytes. */
    private static final class Bounded extends FilterInputStream {
        private final long max;
        private final String name;
        private final String member;
        private long count;

        Bounded(InputStream in, long max, String name, String member) {
            super(in);
            this.max = max;
            this.name = name;
            this.member = member;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0 && (count += n) > max) {
                throw new FormatException(
                        name,
                        "member '" + member + "' unpacks to more than " + max + " bytes, the limit "
                                + "for a member of its compressed size (a decompression bomb, or raise the unpack limit)");
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            return n <= 0 ? 0 : Math.max(0, read(new byte[(int) Math.min(n, 8192)], 0, (int) Math.min(n, 8192)));
        }
    }

    private static Compression compression(String name, String member, String prefix, Compression... allowed) {
        Compression c = Compression.ofMember(member, prefix);
        if (c == null || !Arrays.asList(allowed).contains(c)) {
            throw new FormatException(name, "unsupported member '" + member + "'");
        }
        return c;
    }

    private static Stanza readControl(InputStream in, String name, String member, List<String> names, byte[] scratch)
            throws IOException {
        Stanza control = null;
        TarReader tar = new TarReader(in, scratch);
        TarReader.Entry e;
        while ((e = tar.next()) != null) {
            String path = normalise(e.name());
            if (e.isDirectory() || path.isEmpty()) {
                continue;
            }
            names.add(path);
            if (path.equals("control")) {
                if (e.size() > UnpackLimits.MAX_CONTROL_FILE) {
                    throw new FormatException(
                            name,
                            "the control file is " + e.size() + " bytes: at most " + UnpackLimits.MAX_CONTROL_FILE
                                    + " are accepted (apt cannot read an index with a stanza of a few MB)");
                }
                String text = new String(tar.readContent(), StandardCharsets.UTF_8);
                control = Deb822Reader.parseSingle(text, name + " (" + member + ", control file)");
            }
        }
        if (control == null) {
            throw new FormatException(name, "member '" + member + "' has no 'control' file");
        }
        for (String required : List.of("Package", "Version", "Architecture")) {
            if (control.get(required) == null || control.get(required).isEmpty()) {
                throw new FormatException(name, "control file has no '" + required + "' field");
            }
        }
        PackageName.check(control.get("Package"), "package");
        Version.parse(control.get("Version"));
        return control;
    }

    private static List<DataEntry> readData(InputStream in, byte[] scratch, String name, String member, int maxEntries)
            throws IOException {
        List<DataEntry> entries = new ArrayList<>();
        TarReader tar = new TarReader(in, scratch);
        TarReader.Entry e;
        long pathBytes = 0;
        while ((e = tar.next()) != null) {
            String path = normalise(checkPath(e.name(), name, member));
            if (path.isEmpty()) {
                continue;
            }
            pathBytes +=
                    path.length() + (e.linkName() == null ? 0 : e.linkName().length());
            if (pathBytes > UnpackLimits.MAX_PATH_BYTES) {
                throw new FormatException(
                        name,
                        "member '" + member + "' names more than " + (UnpackLimits.MAX_PATH_BYTES >> 20)
                                + " MiB of paths in all (its Contents lines would not fit an index)");
            }
            if (entries.size() == maxEntries) {
                throw new FormatException(name, "member '" + member + "' holds more than " + maxEntries + " entries");
            }
            DataEntry.Type type = e.isDirectory()
                    ? DataEntry.Type.DIRECTORY
                    : e.isSymbolicLink()
                            ? DataEntry.Type.SYMLINK
                            : e.isHardLink()
                                    ? DataEntry.Type.HARDLINK
                                    : e.isFile() ? DataEntry.Type.FILE : DataEntry.Type.OTHER;
            entries.add(new DataEntry(path, type, e.isDirectory() ? 0 : e.size(), e.mode(), e.linkName()));
        }
        return entries;
    }

    /**
     * A data member's path as dpkg would unpack it, or a FormatException: no control characters (a newline would forge
     * lines in Contents), no {@code ..} segment (it would climb out of the root).
     */
    private static String checkPath(String path, String name, String member) {
        if (path.length() > UnpackLimits.MAX_PATH) {
            throw new FormatException(
                    name,
                    "member '" + member + "' has a path of " + path.length() + " bytes; at most "
                            + UnpackLimits.MAX_PATH + " (PATH_MAX): " + path.substring(0, 60) + "...");
        }
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw new FormatException(
                        name,
                        "member '" + member + "' has a path with a control character ("
                                + String.format("\\x%02x", (int) c) + "): "
                                + path.replaceAll("[\\x00-\\x1f\\x7f]", "?"));
            }
        }
        for (String segment : path.split("/")) {
            if (segment.equals("..")) {
                throw new FormatException(name, "member '" + member + "' has a path with a '..' segment: " + path);
            }
        }
        return path;
    }

    private static String normalise(String path) {
        String p = path;
        while (p.startsWith("./") || p.startsWith("/")) { // "./usr", "/usr", ".//usr" all mean usr
            p = p.substring(p.startsWith("./") ? 2 : 1);
        }
        if (p.equals(".")) {
            p = "";
        }
        if (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}
