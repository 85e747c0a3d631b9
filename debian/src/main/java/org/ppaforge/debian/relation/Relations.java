package org.ppaforge.debian.relation;

import java.util.ArrayList;
import java.util.List;
import org.ppaforge.debian.FormatException;

/**
 * A Depends-style field: a comma-separated list of groups, each a {@code |}-separated
 * list of alternatives. {@link #toString} writes the canonical spelling
 * ({@code a (>= 1.0) | b:any [amd64 !i386] <!nocheck>}).
 */
public record Relations(List<List<Relation>> groups) {

    public Relations {
        groups = groups.stream().map(List::copyOf).toList();
    }

    /**
     * Parses a field value; an empty value gives no groups. A trailing comma is allowed, an
     * empty alternative is not.
     *
     * @throws FormatException naming the relation text and what is wrong with it
     */
    public static Relations parse(String value) {
        List<List<Relation>> groups = new ArrayList<>();
        String[] parts = value.split(",", -1);
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i].strip();
            if (part.isEmpty()) {
                if (i == parts.length - 1 || (parts.length == 1)) {
                    continue;
                }
                throw new FormatException("empty relation between commas in '" + value.strip() + "'");
            }
            List<Relation> group = new ArrayList<>();
            for (String alternative : part.split("\\|", -1)) {
                group.add(new Parser(alternative, value).relation());
            }
            groups.add(group);
        }
        return new Relations(groups);
    }

    /** Every package name mentioned, in order. */
    public List<String> names() {
        List<String> names = new ArrayList<>();
        for (List<Relation> g : groups) {
            for (Relation r : g) {
                names.add(r.name());
            }
        }
        return names;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (List<Relation> group : groups) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            for (int i = 0; i < group.size(); i++) {
                if (i > 0) {
                    sb.append(" | ");
                }
                sb.append(group.get(i));
            }
        }
        return sb.toString();
    }

    private static final class Parser {
        private final String s;
        private final String whole;
        private int i;

        Parser(String s, String whole) {
            this.s = s;
            this.whole = whole.strip();
        }

        private FormatException error(String what) {
            return new FormatException("invalid relation '" + s.strip() + "' in '" + whole + "': " + what);
        }

        private void skipSpace() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }

        private String word(String stopChars) {
            int start = i;
            while (i < s.length() && !Character.isWhitespace(s.charAt(i)) && stopChars.indexOf(s.charAt(i)) < 0) {
                i++;
            }
            return s.substring(start, i);
        }

        Relation relation() {
            skipSpace();
            if (i >= s.length()) {
                throw error("empty alternative");
            }
            String name = word(":([<");
            if (name.isEmpty()) {
                throw error("missing package name");
            }
            for (int k = 0; k < name.length(); k++) {
                char c = name.charAt(k);
                boolean ok = (c >= 'a' && c <= 'z')
                        || (c >= '0' && c <= '9')
                        || (c >= 'A' && c <= 'Z')
                        || (k > 0 && "+-.".indexOf(c) >= 0)
                        || (c == '$' || c == '{' || c == '}');
                if (!ok) {
                    throw error("invalid character '" + c + "' in package name '" + name + "'");
                }
            }
            String qualifier = null;
            if (i < s.length() && s.charAt(i) == ':') {
                i++;
                qualifier = word("([<");
                if (qualifier.isEmpty()) {
                    throw error("empty architecture qualifier after ':'");
                }
            }
            skipSpace();
            Relation.Operator operator = null;
            String version = null;
            if (i < s.length() && s.charAt(i) == '(') {
                i++;
                skipSpace();
                int start = i;
                while (i < s.length() && "<>=".indexOf(s.charAt(i)) >= 0) {
                    i++;
                }
                String op = s.substring(start, i);
                operator = Relation.Operator.parse(op);
                if (operator == null) {
                    throw error(op.isEmpty() ? "missing version operator" : "unknown version operator '" + op + "'");
                }
                skipSpace();
                version = word(")");
                if (version.isEmpty()) {
                    throw error("missing version after '" + op + "'");
                }
                skipSpace();
                if (i >= s.length() || s.charAt(i) != ')') {
                    throw error("missing ')' after version");
                }
                i++;
                skipSpace();
            }
            List<String> archs = new ArrayList<>();
            if (i < s.length() && s.charAt(i) == '[') {
                int close = s.indexOf(']', i);
                if (close < 0) {
                    throw error("missing ']' after architecture list");
                }
                for (String a : s.substring(i + 1, close).strip().split("\\s+")) {
                    if (!a.isEmpty()) {
                        archs.add(a);
                    }
                }
                if (archs.isEmpty()) {
                    throw error("empty architecture list");
                }
                i = close + 1;
                skipSpace();
            }
            List<List<String>> profiles = new ArrayList<>();
            while (i < s.length() && s.charAt(i) == '<') {
                int close = s.indexOf('>', i);
                if (close < 0) {
                    throw error("missing '>' after build profile");
                }
                List<String> terms = new ArrayList<>();
                for (String t : s.substring(i + 1, close).strip().split("\\s+")) {
                    if (!t.isEmpty()) {
                        terms.add(t);
                    }
                }
                if (terms.isEmpty()) {
                    throw error("empty build profile");
                }
                profiles.add(terms);
                i = close + 1;
                skipSpace();
            }
            if (i < s.length()) {
                throw error("unexpected '" + s.substring(i).strip() + "'");
            }
            return new Relation(name, qualifier, operator, version, archs, profiles);
        }
    }
}
