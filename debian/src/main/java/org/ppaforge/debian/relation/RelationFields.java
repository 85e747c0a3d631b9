package org.ppaforge.debian.relation;

import java.util.List;
import java.util.regex.Pattern;
import org.ppaforge.debian.FormatException;
import org.ppaforge.debian.Version;
import org.ppaforge.debian.control.Stanza;

/**
 * The relation fields of a package's control data, checked as apt and dpkg will read them once they are published:
 * every field parses, every name is a valid package name, every version a valid version, and the parts a binary
 * package's fields may not hold (architecture lists, build profiles) are absent. One field apt cannot parse breaks
 * {@code apt-get update} for the whole archive, so such a package is refused, naming the field.
 */
public final class RelationFields {
    /** The relation fields of a binary package (DEBIAN/control, a Packages stanza). */
    public static final List<String> BINARY = List.of(
            "Depends",
            "Pre-Depends",
            "Recommends",
            "Suggests",
            "Enhances",
            "Breaks",
            "Conflicts",
            "Replaces",
            "Provides",
            "Built-Using",
            "Static-Built-Using");
    /** The relation fields of a source package (.dsc, a Sources stanza). */
    public static final List<String> SOURCE = List.of(
            "Build-Depends",
            "Build-Depends-Indep",
            "Build-Depends-Arch",
            "Build-Conflicts",
            "Build-Conflicts-Indep",
            "Build-Conflicts-Arch");

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9+.-]+");
    private static final Pattern ARCH = Pattern.compile("[a-z0-9][a-z0-9-]*");
    private static final Pattern PROFILE = Pattern.compile("!?[a-z0-9][a-z0-9.+-]*");

    private RelationFields() {}

    /** Checks a binary package's relation fields. @throws FormatException naming {@code where} and the field */
    public static void checkBinary(Stanza control, String where) {
        for (String field : BINARY) {
            String value = control.get(field);
            if (value != null) {
                check(field, value, false, where);
            }
        }
    }

    /** Checks a source package's build relation fields. @throws FormatException naming {@code where} and the field */
    public static void checkSource(Stanza control, String where) {
        for (String field : SOURCE) {
            String value = control.get(field);
            if (value != null) {
                check(field, value, true, where);
            }
        }
    }

    private static void check(String field, String value, boolean source, String where) {
        Relations relations;
        try {
            relations = Relations.parse(value);
        } catch (FormatException e) {
            throw refused(where, field, e.getMessage());
        }
        for (List<Relation> group : relations.groups()) {
            if (group.size() > 1
                    && (field.equals("Provides")
                            || field.startsWith("Built-Using")
                            || field.equals("Static-Built-Using")
                            || field.equals("Conflicts")
                            || field.equals("Breaks")
                            || field.equals("Replaces"))) {
                throw refused(where, field, "alternatives ('|') are not allowed in " + field);
            }
            for (Relation r : group) {
                if (!NAME.matcher(r.name()).matches()) {
                    throw refused(
                            where,
                            field,
                            "invalid package name '" + r.name() + "' (lower-case letters, digits and + - ., "
                                    + "at least two, starting with a letter or digit)");
                }
                if (r.archQualifier() != null
                        && !ARCH.matcher(r.archQualifier()).matches()) {
                    throw refused(
                            where, field, "invalid architecture qualifier '" + r.archQualifier() + "' in '" + r + "'");
                }
                if (r.version() != null) {
                    try {
                        Version.parse(r.version());
                    } catch (FormatException e) {
                        throw refused(
                                where,
                                field,
                                "invalid version '" + r.version() + "' in '" + r.name() + "': " + e.getMessage());
                    }
                }
                if ((field.equals("Provides") || field.contains("Built-Using"))
                        && r.operator() != null
                        && r.operator() != Relation.Operator.EQUAL) {
                    throw refused(
                            where,
                            field,
                            "only '=' is allowed in " + field + ", not '"
                                    + r.operator().symbol() + "'");
                }
                if (!source && (!r.architectures().isEmpty() || !r.profiles().isEmpty())) {
                    throw refused(
                            where,
                            field,
                            "architecture lists and build profiles belong in a source package's "
                                    + "build relations, not in a binary package's " + field);
                }
                for (String a : r.architectures()) {
                    if (!ARCH.matcher(a.startsWith("!") ? a.substring(1) : a).matches()) {
                        throw refused(where, field, "invalid architecture '" + a + "' in '" + r + "'");
                    }
                }
                for (List<String> p : r.profiles()) {
                    for (String t : p) {
                        if (!PROFILE.matcher(t).matches()) {
                            throw refused(where, field, "invalid build profile '" + t + "' in '" + r + "'");
                        }
                    }
                }
            }
        }
    }

    private static FormatException refused(String where, String field, String why) {
        return new FormatException(where + ": field " + field + ": " + why);
    }
}
