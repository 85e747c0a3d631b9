package org.ppaforge.debian.control;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One field of a deb822 stanza: its name as spelled in the input and its raw text
 * (everything after the colon, continuation lines included, without the final newline),
 * so that writing it back gives the same bytes.
 */
public final class Field {
    private final String name;
    private final String raw;

    Field(String name, String raw) {
        this.name = name;
        this.raw = raw;
    }

    /**
     * A field with a value; lines after the first become continuation lines (a leading
     * space is added where missing, an empty line becomes {@code " ."}).
     */
    public static Field of(String name, String value) {
        checkName(name);
        Objects.requireNonNull(value, "value");
        if (value.indexOf('\n') < 0) {
            return new Field(name, value.isEmpty() ? "" : " " + value);
        }
        StringBuilder raw = new StringBuilder(value.length() + 8);
        String[] lines = value.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (i == 0) {
                if (!line.isEmpty()) {
                    raw.append(' ').append(line);
                }
                continue;
            }
            raw.append('\n');
            if (line.isBlank()) {
                raw.append(" .");
            } else if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
                raw.append(line);
            } else {
                raw.append(' ').append(line);
            }
        }
        return new Field(name, raw.toString());
    }

    /** A multi-line field in the Files/Checksums style: empty first line, one item per line. */
    public static Field ofLines(String name, List<String> lines) {
        checkName(name);
        StringBuilder raw = new StringBuilder();
        for (String line : lines) {
            raw.append("\n ").append(line);
        }
        return new Field(name, raw.toString());
    }

    static void checkName(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("field name is empty");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= ' ' || c == ':' || c > '~' || (i == 0 && (c == '#' || c == '-'))) {
                throw new IllegalArgumentException("invalid field name '" + name + "'");
            }
        }
    }

    public String name() {
        return name;
    }

    /** The text after the colon exactly as in the input, continuation lines included. */
    public String raw() {
        return raw;
    }

    /** The value without surrounding white space; continuation lines keep their leading space. */
    public String value() {
        return raw.strip();
    }

    /** The value's first line, trimmed (a description's synopsis; empty for Files-style fields). */
    public String firstLine() {
        int nl = raw.indexOf('\n');
        return (nl < 0 ? raw : raw.substring(0, nl)).strip();
    }

    /**
     * The continuation lines with their one leading space removed and {@code " ."} lines
     * turned into empty lines, as a description's long text reads.
     */
    public List<String> continuationLines() {
        List<String> lines = new ArrayList<>();
        int start = raw.indexOf('\n');
        while (start >= 0) {
            int end = raw.indexOf('\n', start + 1);
            String line = raw.substring(start + 1, end < 0 ? raw.length() : end);
            String body = line.isEmpty() ? line : line.substring(1);
            lines.add(body.equals(".") ? "" : body);
            start = end;
        }
        return lines;
    }

    /** The non-empty lines of a Files/Checksums-style value, each trimmed. */
    public List<String> items() {
        List<String> items = new ArrayList<>();
        for (String line : raw.split("\n")) {
            String t = line.strip();
            if (!t.isEmpty()) {
                items.add(t);
            }
        }
        return items;
    }

    public boolean isNamed(String other) {
        return name.equalsIgnoreCase(other);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Field f && f.name.equals(name) && f.raw.equals(raw);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + raw.hashCode();
    }

    @Override
    public String toString() {
        return name + ":" + raw;
    }
}
