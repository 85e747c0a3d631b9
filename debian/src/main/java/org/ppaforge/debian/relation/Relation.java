package org.ppaforge.debian.relation;

import java.util.List;
import org.ppaforge.debian.Version;

/**
 * One package relation: {@code name[:archqual] [(op version)] [[arch ...]] [<profile ...>]...}.
 *
 * @param name the package name
 * @param archQualifier {@code any}, {@code native} or an architecture, or {@code null}
 * @param operator the version operator, or {@code null} when unversioned
 * @param version the version string, or {@code null} when unversioned (kept as written,
 *     it may be a substitution variable in debian/control)
 * @param architectures the architecture restriction list, entries may start with {@code !}
 * @param profiles build-profile restrictions: a list of {@code <...>} groups, each a list of terms
 */
public record Relation(
        String name,
        String archQualifier,
        Operator operator,
        String version,
        List<String> architectures,
        List<List<String>> profiles) {

    public Relation {
        architectures = List.copyOf(architectures);
        profiles = profiles.stream().map(List::copyOf).toList();
    }

    public static Relation of(String name) {
        return new Relation(name, null, null, null, List.of(), List.of());
    }

    public static Relation of(String name, Operator operator, String version) {
        return new Relation(name, null, operator, version, List.of(), List.of());
    }

    /** The version operators; {@code <} and {@code >} are the obsolete spellings of {@code <=} and {@code >=}. */
    public enum Operator {
        LESS_LESS("<<"),
        LESS_EQUAL("<="),
        EQUAL("="),
        GREATER_EQUAL(">="),
        GREATER_GREATER(">>"),
        OBSOLETE_LESS("<"),
        OBSOLETE_GREATER(">");

        private final String symbol;

        Operator(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }

        static Operator parse(String s) {
            for (Operator o : values()) {
                if (o.symbol.equals(s)) {
                    return o;
                }
            }
            return null;
        }

        public boolean test(int comparison) {
            return switch (this) {
                case LESS_LESS -> comparison < 0;
                case LESS_EQUAL, OBSOLETE_LESS -> comparison <= 0;
                case EQUAL -> comparison == 0;
                case GREATER_EQUAL, OBSOLETE_GREATER -> comparison >= 0;
                case GREATER_GREATER -> comparison > 0;
            };
        }
    }

    /** Whether a package of this name at {@code candidate} satisfies the version part. */
    public boolean satisfiedBy(Version candidate) {
        return operator == null || operator.test(candidate.compareTo(Version.parse(version)));
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(name);
        if (archQualifier != null) {
            sb.append(':').append(archQualifier);
        }
        if (operator != null) {
            sb.append(" (")
                    .append(operator.symbol())
                    .append(' ')
                    .append(version)
                    .append(')');
        }
        if (!architectures.isEmpty()) {
            sb.append(" [").append(String.join(" ", architectures)).append(']');
        }
        for (List<String> group : profiles) {
            sb.append(" <").append(String.join(" ", group)).append('>');
        }
        return sb.toString();
    }
}
