package org.ppaforge.pipeline.definition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ppaforge.common.Names;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Typed values from a composed YAML document, each problem a {@link PipelineFileException} at the node's file, line and
 * column: mappings with their allowed keys (unknown and repeated keys refused), texts, names, booleans, lists of texts,
 * percentages and durations. What the pipeline file holds is {@link DefinitionReader}'s business.
 */
final class YamlNodes {
    private static final Pattern DURATION = Pattern.compile("(\\d{1,6})\\s*(s|m|h|d)");
    private static final Pattern NAME = Names.ARCHIVE;

    private final String file;
    /** Each value's key (errors about a whole step point at its name). */
    final Map<Node, Node> keyOf = new IdentityHashMap<>();

    YamlNodes(String file) {
        this.file = file;
    }

    PipelineFileException error(Node at, String problem) {
        Optional<Mark> m = at == null ? Optional.empty() : at.getStartMark();
        return new PipelineFileException(
                file,
                m.map(x -> x.getLine() + 1).orElse(1),
                m.map(x -> x.getColumn() + 1).orElse(1),
                problem);
    }

    Node required(Node parent, Map<String, Node> map, String key) {
        Node n = map.get(key);
        if (n == null) {
            throw error(parent, "missing '" + key + "'");
        }
        return n;
    }

    Map<String, Node> optionalMapping(Node n, String what, Set<String> keys) {
        if (n instanceof ScalarNode s
                && (s.getValue().isEmpty()
                        || s.getValue().equals("null")
                        || s.getValue().equals("true"))) {
            return Map.of(); // "build:" or "build: true": the defaults
        }
        return mapping(n, what, keys);
    }

    Map<String, Node> mapping(Node n, String what, Set<String> keys) {
        if (!(n instanceof MappingNode m)) {
            throw error(
                    n,
                    "expected a mapping for " + what + " (keys: "
                            + String.join(", ", keys.stream().sorted().toList()) + ")");
        }
        Map<String, Node> out = new LinkedHashMap<>();
        for (NodeTuple t : m.getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode k)) {
                throw error(t.getKeyNode(), "expected a plain key in " + what);
            }
            if (!keys.contains(k.getValue())) {
                throw error(
                        k,
                        "unknown key '" + k.getValue() + "' in " + what + " (expected one of: "
                                + String.join(", ", keys.stream().sorted().toList()) + ")");
            }
            keyOf.put(t.getValueNode(), k);
            if (out.put(k.getValue(), t.getValueNode()) != null) {
                throw error(k, "'" + k.getValue() + "' is given twice in " + what);
            }
        }
        return out;
    }

    String string(Node n, String what) {
        if (!(n instanceof ScalarNode s) || s.getValue().isEmpty()) {
            throw error(n, "expected a text for " + what);
        }
        return s.getValue();
    }

    String name(Node n, String what) {
        String v = string(n, what);
        if (!NAME.matcher(v).matches()) {
            throw error(n, "invalid " + what + " '" + v + "': lower-case letters, digits and . + -");
        }
        return v;
    }

    boolean bool(Node n, String what) {
        String v = n instanceof ScalarNode s ? s.getValue() : "";
        return switch (v) {
            case "true" -> true;
            case "false" -> false;
            default -> throw error(n, "expected true or false for " + what);
        };
    }

    List<String> strings(Node n, String what) {
        if (n instanceof ScalarNode s && !s.getValue().isEmpty()) {
            return List.of(s.getValue());
        }
        if (!(n instanceof SequenceNode seq)) {
            throw error(n, "expected a list of texts for " + what);
        }
        List<String> out = new ArrayList<>();
        for (Node item : seq.getValue()) {
            out.add(string(item, what + " entries"));
        }
        return out;
    }

    /** A number of percent (points), 0 to 100; null when absent. */
    Double percent(Node n, String what) {
        if (n == null) {
            return null;
        }
        String v = n instanceof ScalarNode s ? s.getValue().strip() : "";
        try {
            double d = Double.parseDouble(v);
            if (d >= 0 && d <= 100) {
                return d;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw error(n, "expected a percentage from 0 to 100 for " + what + ", not '" + v + "'");
    }

    Duration duration(Node n, String what, Duration absent) {
        if (n == null) {
            return absent;
        }
        String v = n instanceof ScalarNode s ? s.getValue().strip() : "";
        Matcher m = DURATION.matcher(v);
        if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
            throw error(n, "expected a duration for " + what + " such as 90s, 30m, 2h or 1d, not '" + v + "'");
        }
        long k = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(k);
            case "m" -> Duration.ofMinutes(k);
            case "h" -> Duration.ofHours(k);
            default -> Duration.ofDays(k);
        };
    }
}
