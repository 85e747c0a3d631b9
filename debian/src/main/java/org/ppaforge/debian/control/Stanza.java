package org.ppaforge.debian.control;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * A deb822 paragraph: fields in their original order and spelling, looked up without
 * regard to case. Immutable; change one through {@link #toBuilder()}.
 */
public final class Stanza {
    private final List<Field> fields;
    private final int line;

    Stanza(List<Field> fields, int line) {
        this.fields = Collections.unmodifiableList(fields);
        this.line = line;
    }

    public static Builder builder() {
        return new Builder(new ArrayList<>());
    }

    public Builder toBuilder() {
        return new Builder(new ArrayList<>(fields));
    }

    public List<Field> fields() {
        return fields;
    }

    /** The 1-based line where this stanza started in its input (0 if built in code). */
    public int line() {
        return line;
    }

    public Field field(String name) {
        for (int i = 0, n = fields.size(); i < n; i++) {
            Field f = fields.get(i);
            if (f.isNamed(name)) {
                return f;
            }
        }
        return null;
    }

    /** The field's value (see {@link Field#value()}), or {@code null} when absent. */
    public String get(String name) {
        Field f = field(name);
        return f == null ? null : f.value();
    }

    public Optional<String> find(String name) {
        return Optional.ofNullable(get(name));
    }

    public boolean has(String name) {
        return field(name) != null;
    }

    public List<String> names() {
        List<String> names = new ArrayList<>(fields.size());
        for (Field f : fields) {
            names.add(f.name());
        }
        return names;
    }

    public int size() {
        return fields.size();
    }

    /** The stanza as deb822 text, each field ending with a newline, no separator line. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        appendTo(sb);
        return sb.toString();
    }

    void appendTo(StringBuilder sb) {
        for (Field f : fields) {
            sb.append(f.name()).append(':').append(f.raw()).append('\n');
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Stanza s && s.fields.equals(fields);
    }

    @Override
    public int hashCode() {
        return fields.hashCode();
    }

    /** Builds a stanza; {@link #set} keeps a field's position when it already exists. */
    public static final class Builder {
        private final List<Field> fields;

        private Builder(List<Field> fields) {
            this.fields = fields;
        }

        public Builder set(String name, String value) {
            return set(Field.of(name, value));
        }

        public Builder set(Field field) {
            for (int i = 0; i < fields.size(); i++) {
                if (fields.get(i).isNamed(field.name())) {
                    fields.set(i, field);
                    return this;
                }
            }
            fields.add(field);
            return this;
        }

        /** Sets the field only when {@code value} is not null. */
        public Builder setIfPresent(String name, String value) {
            return value == null ? this : set(name, value);
        }

        public Builder remove(String name) {
            fields.removeIf(f -> f.isNamed(name));
            return this;
        }

        /** Renames a field in place, keeping its position and value. */
        public Builder rename(String from, String to) {
            Field.checkName(to);
            for (int i = 0; i < fields.size(); i++) {
                Field f = fields.get(i);
                if (f.isNamed(from)) {
                    fields.set(i, new Field(to, f.raw()));
                }
            }
            return this;
        }

        public Stanza build() {
            return new Stanza(new ArrayList<>(fields), 0);
        }
    }
}
