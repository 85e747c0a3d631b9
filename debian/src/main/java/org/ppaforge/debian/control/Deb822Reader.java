package org.ppaforge.debian.control;

import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.ppaforge.debian.FormatException;

/**
 * Reads deb822 stanzas one at a time from a stream, holding only the current stanza in
 * memory (a 50 MB Packages index streams in a few megabytes of heap).
 *
 * <p>Accepts LF or CRLF line ends; a line of only spaces and tabs separates stanzas like
 * an empty one. Malformed input raises a {@link FormatException} with the source name
 * and line number.
 */
public final class Deb822Reader implements Closeable, Iterable<Stanza> {
    private static final int BUFFER = 1 << 16;

    private final InputStream in;
    private final String source;
    private final boolean allowComments;
    private byte[] buf;
    private int pos;
    private int limit;
    private boolean eof;
    private int lineNumber;

    /**
     * @param source name used in error messages (usually the file name)
     * @param allowComments whether {@code #} lines are comments (debian/control, config
     *     files); they are not allowed in Packages, Sources, .dsc or .changes
     */
    public Deb822Reader(InputStream in, String source, boolean allowComments) {
        this(in, source, allowComments, BUFFER);
    }

    private Deb822Reader(InputStream in, String source, boolean allowComments, int bufferSize) {
        this.in = in;
        this.source = source;
        this.allowComments = allowComments;
        this.buf = new byte[Math.max(64, bufferSize)];
    }

    public Deb822Reader(InputStream in, String source) {
        this(in, source, false);
    }

    /** All stanzas of a text. */
    public static List<Stanza> parse(String text, String source) {
        List<Stanza> all = new ArrayList<>();
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        try (Deb822Reader r = new Deb822Reader(new ByteArrayInputStream(bytes), source, false, bytes.length + 1)) {
            for (Stanza s : r) {
                all.add(s);
            }
        }
        return all;
    }

    /** The one stanza a text must hold (a .dsc, a .changes, a control file). */
    public static Stanza parseSingle(String text, String source) {
        List<Stanza> all = parse(text, source);
        if (all.isEmpty()) {
            throw new FormatException(source, "no control data found");
        }
        if (all.size() > 1) {
            throw new FormatException(source, all.get(1).line(), "expected one stanza, found another here", null);
        }
        return all.get(0);
    }

    /** The next stanza, or {@code null} at the end of the input. */
    public Stanza next() {
        try {
            return readStanza();
        } catch (IOException e) {
            throw new UncheckedIOException(source + ": " + e.getMessage(), e);
        }
    }

    private Stanza readStanza() throws IOException {
        List<Field> fields = null;
        int stanzaLine = 0;
        String name = null;
        StringBuilder raw = null;
        String firstRaw = null;
        int nameLine = 0;
        while (true) {
            int nl = indexOfNewline(pos);
            while (nl < 0 && fill()) {
                nl = indexOfNewline(pos);
            }
            if (nl < 0) {
                if (pos >= limit) {
                    break; // end of input
                }
                nl = limit; // a last line without a newline
            }
            int start = pos;
            int end = nl;
            pos = nl < limit ? nl + 1 : limit;
            lineNumber++;
            if (end > start && buf[end - 1] == '\r') {
                end--;
            }
            if (isBlank(start, end)) {
                if (fields != null) {
                    break;
                }
                continue;
            }
            byte first = buf[start];
            if (first == '#') {
                if (allowComments) {
                    continue;
                }
                throw error(lineNumber, "comment lines are not allowed in this file");
            }
            if (first == ' ' || first == '\t') {
                if (name == null) {
                    throw error(lineNumber, "continuation line outside a field");
                }
                if (raw == null) {
                    raw = new StringBuilder(firstRaw.length() + 128).append(firstRaw);
                }
                raw.append('\n').append(new String(buf, start, end - start, StandardCharsets.UTF_8));
                continue;
            }
            if (name != null) {
                fields = addField(fields, name, raw != null ? raw.toString() : firstRaw, nameLine);
            }
            int colon = -1;
            for (int i = start; i < end; i++) {
                if (buf[i] == ':') {
                    colon = i;
                    break;
                }
            }
            if (colon < 0) {
                String text = new String(buf, start, Math.min(end - start, 60), StandardCharsets.UTF_8);
                throw error(lineNumber, "expected 'Field: value', got '" + text + "'");
            }
            if (colon == start) {
                throw error(lineNumber, "field name is empty");
            }
            for (int i = start; i < colon; i++) {
                if (buf[i] == ' ' || buf[i] == '\t') {
                    throw error(
                            lineNumber,
                            "field name '" + new String(buf, start, colon - start, StandardCharsets.UTF_8)
                                    + "' contains white space");
                }
            }
            if (fields == null) {
                fields = new ArrayList<>(24);
                stanzaLine = lineNumber;
            }
            name = new String(buf, start, colon - start, StandardCharsets.ISO_8859_1);
            firstRaw = new String(buf, colon + 1, end - colon - 1, StandardCharsets.UTF_8);
            raw = null;
            nameLine = lineNumber;
        }
        if (name != null) {
            fields = addField(fields, name, raw != null ? raw.toString() : firstRaw, nameLine);
        }
        return fields == null ? null : new Stanza(fields, stanzaLine);
    }

    private List<Field> addField(List<Field> fields, String name, String raw, int line) {
        for (int i = 0, n = fields.size(); i < n; i++) {
            if (fields.get(i).isNamed(name)) {
                throw error(line, "duplicate field '" + name + "' in one stanza");
            }
        }
        fields.add(new Field(name, raw));
        return fields;
    }

    private FormatException error(int line, String message) {
        return new FormatException(source, line, message, null);
    }

    private boolean isBlank(int start, int end) {
        for (int i = start; i < end; i++) {
            if (buf[i] != ' ' && buf[i] != '\t') {
                return false;
            }
        }
        return true;
    }

    private int indexOfNewline(int from) {
        byte[] b = buf;
        for (int i = from, n = limit; i < n; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    // Moves the unread bytes to the front (growing the buffer for a long line) and reads more.
    private boolean fill() throws IOException {
        if (eof) {
            return false;
        }
        int remaining = limit - pos;
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, remaining);
        } else if (remaining == buf.length) {
            byte[] bigger = new byte[buf.length * 2];
            System.arraycopy(buf, 0, bigger, 0, remaining);
            buf = bigger;
        }
        pos = 0;
        limit = remaining;
        int n = in.read(buf, limit, buf.length - limit);
        if (n < 0) {
            eof = true;
            return false;
        }
        limit += n;
        return true;
    }

    @Override
    public Iterator<Stanza> iterator() {
        return new Iterator<>() {
            private Stanza next = Deb822Reader.this.next();

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public Stanza next() {
                if (next == null) {
                    throw new NoSuchElementException();
                }
                Stanza s = next;
                next = Deb822Reader.this.next();
                return s;
            }
        };
    }

    public Stream<Stanza> stream() {
        return StreamSupport.stream(
                Spliterators.spliteratorUnknownSize(iterator(), Spliterator.ORDERED | Spliterator.NONNULL), false);
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
