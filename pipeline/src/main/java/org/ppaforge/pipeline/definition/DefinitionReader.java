package org.ppaforge.pipeline.definition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ppaforge.pipeline.Triggers;
import org.ppaforge.pipeline.version.VersionTemplate;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Reads {@code .ppaforge.yml} (YAML 1.2, SnakeYAML Engine, which keeps every node's position). Every problem names the
 * file, line and column and what was expected; unknown keys are errors (a typo must not silently drop a step). The file:
 *
 * <pre>
 * archive: trunk                  # required: where uploads go
 * series: [bookworm, trixie]      # one or a list; default: every series of the archive
 * version: "{debupstream}+git{revtime}.{revno}.{git-commit}-0ppa1"   # optional, this is the default
 * check:                          # optional steps from here on, run in this order
 *   commands: [make lint, make test]
 *   artifacts: [build/junit.xml, build/coverage.xml]
 *   timeout: 20m
 *   coverage:                     # stored per commit ('ppa coverage'), gated
 *     files: [build/coverage.xml] # JaCoCo XML, Cobertura XML or lcov .info
 *     min: 74                     # percent of lines
 *     max-drop: 0.5               # points against the parent commit's report
 *     patch: 80                   # percent of the commit's changed code lines
 * source:
 *   packaging-branch: debian      # default: debian/ from the commit's own tree
 * upload: true
 * build:
 *   timeout: 2h
 * test:                           # in a fresh testbed of each series
 *   install: [mytool]
 *   script: tests/install-test.sh # calls back: POST $PPAFORGE_CALLBACK_URL
 *   timeout: 30m
 *   configurations:               # optional: several, each overriding the keys above
 *     sqlite:
 *       env: {MYTOOL_DB: sqlite}
 *     postgresql:
 *       install: [mytool, postgresql]
 *       debconf: "mytool mytool/db select postgresql"   # for debconf-set-selections
 *       apt-sources: ["deb http://deb.debian.org/debian {series}-backports main"]
 * promote:
 *   to: milestone-proposed
 *   skew-check: true
 *   with-dependencies: true
 * triggers:
 *   poll: 5m
 *   webhook: true
 *   schedule: daily               # or cron: "0 3 * * *"
 * </pre>
 */
public final class DefinitionReader {
    /** A pipeline file is small; past this it is refused before parsing. */
    static final int MAX_CHARS = 256 * 1024;

    private final String file;
    private final YamlNodes y;

    private DefinitionReader(String file) {
        this.file = file;
        this.y = new YamlNodes(file);
    }

    public static PipelineDefinition read(String text, String file) {
        return new DefinitionReader(file).parse(text);
    }

    private PipelineDefinition parse(String text) {
        if (text.length() > MAX_CHARS) {
            throw new PipelineFileException(file, 1, 1, "the file is larger than " + MAX_CHARS / 1024 + " KiB");
        }
        Node root;
        try {
            root = new Compose(LoadSettings.builder()
                            .setLabel(file)
                            .setMaxAliasesForCollections(20)
                            .setCodePointLimit(MAX_CHARS)
                            .build())
                    .composeString(text)
                    .orElse(null);
        } catch (MarkedYamlEngineException e) {
            Mark m = e.getProblemMark().orElse(e.getContextMark().orElse(null));
            throw new PipelineFileException(
                    file,
                    m == null ? 1 : m.getLine() + 1,
                    m == null ? 1 : m.getColumn() + 1,
                    "not valid YAML: " + e.getProblem());
        } catch (YamlEngineException e) {
            throw new PipelineFileException(file, 1, 1, "not valid YAML: " + e.getMessage());
        }
        if (root == null) {
            throw new PipelineFileException(
                    file, 1, 1, "the file is empty: expected a mapping with at least 'archive'");
        }
        Map<String, Node> top = y.mapping(
                root,
                "the pipeline",
                Set.of(
                        "archive",
                        "series",
                        "version",
                        "check",
                        "source",
                        "upload",
                        "build",
                        "test",
                        "promote",
                        "triggers"));
        String archive = y.name(y.required(root, top, "archive"), "archive");
        List<String> series = top.containsKey("series") ? seriesList(top.get("series")) : List.of();
        String version = top.containsKey("version")
                ? y.string(top.get("version"), "version")
                : PipelineDefinition.DEFAULT_VERSION;
        checkTemplate(top.get("version"), version);
        PipelineDefinition.Check check = null;
        if (top.containsKey("check")) {
            Map<String, Node> c =
                    y.mapping(top.get("check"), "check", Set.of("commands", "artifacts", "timeout", "coverage"));
            List<String> commands = y.strings(y.required(top.get("check"), c, "commands"), "check.commands");
            if (commands.isEmpty()) {
                throw y.error(c.get("commands"), "check.commands is empty: expected at least one command");
            }
            PipelineDefinition.Coverage coverage = null;
            if (c.containsKey("coverage")) {
                Map<String, Node> v =
                        y.mapping(c.get("coverage"), "check.coverage", Set.of("files", "min", "max-drop", "patch"));
                coverage = new PipelineDefinition.Coverage(
                        y.strings(y.required(c.get("coverage"), v, "files"), "check.coverage.files"),
                        y.percent(v.get("min"), "check.coverage.min"),
                        y.percent(v.get("max-drop"), "check.coverage.max-drop"),
                        y.percent(v.get("patch"), "check.coverage.patch"));
            }
            check = new PipelineDefinition.Check(
                    commands,
                    c.containsKey("artifacts") ? y.strings(c.get("artifacts"), "check.artifacts") : List.of(),
                    y.duration(c.get("timeout"), "check.timeout", Duration.ofMinutes(30)),
                    coverage);
        }
        PipelineDefinition.Source source = null;
        if (top.containsKey("source")) {
            Map<String, Node> s = y.optionalMapping(top.get("source"), "source", Set.of("packaging-branch"));
            source = new PipelineDefinition.Source(
                    s.containsKey("packaging-branch")
                            ? y.string(s.get("packaging-branch"), "source.packaging-branch")
                            : null);
        }
        boolean upload = top.containsKey("upload") && y.bool(top.get("upload"), "upload");
        PipelineDefinition.Build build = null;
        if (top.containsKey("build")) {
            Map<String, Node> b = y.optionalMapping(top.get("build"), "build", Set.of("timeout"));
            build = new PipelineDefinition.Build(y.duration(b.get("timeout"), "build.timeout", Duration.ofHours(3)));
        }
        PipelineDefinition.Test test = top.containsKey("test") ? test(top.get("test")) : null;
        PipelineDefinition.Promote promote = null;
        if (top.containsKey("promote")) {
            Map<String, Node> p =
                    y.mapping(top.get("promote"), "promote", Set.of("to", "skew-check", "with-dependencies"));
            promote = new PipelineDefinition.Promote(
                    y.name(y.required(top.get("promote"), p, "to"), "promote.to"),
                    p.containsKey("skew-check") && y.bool(p.get("skew-check"), "promote.skew-check"),
                    p.containsKey("with-dependencies")
                            && y.bool(p.get("with-dependencies"), "promote.with-dependencies"));
        }
        PipelineDefinition.Triggers triggers = new PipelineDefinition.Triggers(null, false, null);
        if (top.containsKey("triggers")) {
            Map<String, Node> t = y.mapping(top.get("triggers"), "triggers", Set.of("poll", "webhook", "schedule"));
            String schedule = t.containsKey("schedule") ? y.string(t.get("schedule"), "triggers.schedule") : null;
            if (schedule != null) {
                checkSchedule(t.get("schedule"), schedule);
            }
            triggers = new PipelineDefinition.Triggers(
                    t.containsKey("poll") ? y.duration(t.get("poll"), "triggers.poll", null) : null,
                    t.containsKey("webhook") && y.bool(t.get("webhook"), "triggers.webhook"),
                    schedule);
        }
        if ((build != null || test != null || promote != null) && !upload) {
            Node at = build != null ? top.get("build") : test != null ? top.get("test") : top.get("promote");
            throw y.error(
                    y.keyOf.getOrDefault(at, at),
                    "this step needs 'upload: true' (it works on what the pipeline uploaded)");
        }
        if (upload && source == null) {
            source = new PipelineDefinition.Source(null); // an upload needs a source package: made from the tree
        }
        return new PipelineDefinition(archive, series, version, check, source, upload, build, test, promote, triggers);
    }

    /** {@code series: bookworm} or {@code series: [bookworm, trixie]}: names, none twice. */
    private List<String> seriesList(Node n) {
        List<String> out = new ArrayList<>();
        if (n instanceof SequenceNode seq) {
            if (seq.getValue().isEmpty()) {
                throw y.error(n, "series is empty: name one or more, or leave it out for every series of the archive");
            }
            for (Node item : seq.getValue()) {
                String v = y.name(item, "series");
                if (out.contains(v)) {
                    throw y.error(item, "series '" + v + "' is named twice");
                }
                out.add(v);
            }
            return List.copyOf(out);
        }
        return List.of(y.name(n, "series"));
    }

    private static final Set<String> CONFIGURATION_KEYS =
            Set.of("install", "script", "timeout", "env", "debconf", "apt-sources");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");
    private static final Pattern CONFIGURATION_NAME = Pattern.compile("[a-z0-9][a-z0-9.+-]{0,39}");

    /**
     * The install test: the keys of one configuration ({@code install}, {@code script}, {@code timeout}, {@code env},
     * {@code debconf}, {@code apt-sources}), or those as defaults and {@code configurations:} naming several, each of
     * which may override any of them.
     */
    private PipelineDefinition.Test test(Node n) {
        Set<String> keys = new HashSet<>(CONFIGURATION_KEYS);
        keys.add("configurations");
        Map<String, Node> t = y.mapping(n, "test", keys);
        if (!t.containsKey("configurations")) {
            return new PipelineDefinition.Test(
                    List.of(configuration(PipelineDefinition.Test.DEFAULT, n, t, Map.of(), "test")));
        }
        Node list = t.get("configurations");
        if (!(list instanceof MappingNode m) || m.getValue().isEmpty()) {
            throw y.error(
                    list, "expected a mapping of named configurations for test.configurations (e.g. sqlite: {...})");
        }
        List<PipelineDefinition.Configuration> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (NodeTuple nt : m.getValue()) {
            String name = nt.getKeyNode() instanceof ScalarNode k ? k.getValue() : "";
            if (!CONFIGURATION_NAME.matcher(name).matches()) {
                throw y.error(
                        nt.getKeyNode(),
                        "invalid configuration name '" + name + "': lower-case letters, digits and . + - (up to 40)");
            }
            if (!seen.add(name)) {
                throw y.error(nt.getKeyNode(), "configuration '" + name + "' is named twice");
            }
            y.keyOf.put(nt.getValueNode(), nt.getKeyNode());
            Map<String, Node> own =
                    y.optionalMapping(nt.getValueNode(), "test.configurations." + name, CONFIGURATION_KEYS);
            out.add(configuration(name, nt.getValueNode(), own, t, "test.configurations." + name));
        }
        return new PipelineDefinition.Test(List.copyOf(out));
    }

    /** One configuration from its own keys, falling back to {@code defaults} (the test's). */
    private PipelineDefinition.Configuration configuration(
            String name, Node at, Map<String, Node> own, Map<String, Node> defaults, String what) {
        Function<String, Node> get = k -> own.containsKey(k) ? own.get(k) : defaults.get(k);
        Node script = get.apply("script");
        if (script == null) {
            throw y.error(at, "missing 'script' in " + what);
        }
        Map<String, String> env = new LinkedHashMap<>();
        Node e = get.apply("env");
        if (e != null) {
            Map<String, Node> vars = new LinkedHashMap<>();
            if (!(e instanceof MappingNode em)) {
                throw y.error(e, "expected a mapping of NAME: value for " + what + ".env");
            }
            for (NodeTuple nt : em.getValue()) {
                String k = nt.getKeyNode() instanceof ScalarNode ks ? ks.getValue() : "";
                if (!ENV_NAME.matcher(k).matches() || k.startsWith("PPAFORGE_")) {
                    throw y.error(
                            nt.getKeyNode(),
                            "invalid environment variable '" + k + "' in " + what
                                    + ".env: letters, digits and _, not starting with PPAFORGE_");
                }
                vars.put(k, nt.getValueNode());
            }
            vars.forEach(
                    (k, v) -> env.put(k, v instanceof ScalarNode sv ? sv.getValue() : y.string(v, what + ".env." + k)));
        }
        List<String> sources = get.apply("apt-sources") == null
                ? List.of()
                : y.strings(get.apply("apt-sources"), what + ".apt-sources");
        for (String line : sources) {
            if (!line.matches("deb(-src)? (\\[[^\\]\n]*\\] )?https?://[^\\s]+( [A-Za-z0-9{}._/+-]+)+")) {
                throw y.error(
                        get.apply("apt-sources"),
                        "expected one-line apt sources for " + what
                                + ".apt-sources ('deb [options] http://URL SUITE COMPONENT...', {series} allowed), not '"
                                + line + "'");
            }
        }
        Node debconf = get.apply("debconf");
        return new PipelineDefinition.Configuration(
                name,
                get.apply("install") == null ? List.of() : y.strings(get.apply("install"), what + ".install"),
                Collections.unmodifiableMap(env),
                debconf == null ? null : y.string(debconf, what + ".debconf"),
                sources,
                y.string(script, what + ".script"),
                y.duration(get.apply("timeout"), what + ".timeout", Duration.ofMinutes(30)));
    }

    private void checkTemplate(Node at, String template) {
        Set<String> known = new HashSet<>(VersionTemplate.VARIABLES);
        Matcher m = Pattern.compile("\\{([^}]*)}").matcher(template);
        while (m.find()) {
            if (!known.contains(m.group(1))) {
                throw y.error(
                        at,
                        "unknown variable {" + m.group(1) + "} in the version template (known: "
                                + String.join(
                                        ", ",
                                        VersionTemplate.VARIABLES.stream()
                                                .map(x -> "{" + x + "}")
                                                .toList())
                                + ")");
            }
        }
    }

    private void checkSchedule(Node at, String schedule) {
        if (schedule.equals("daily")) {
            return;
        }
        String[] f = schedule.trim().split("\\s+");
        if (f.length != 5 || !schedule.matches("[0-9*/,\\- ]+")) {
            throw y.error(
                    at,
                    "expected 'daily' or a cron expression of five fields (minute hour day month weekday), not '"
                            + schedule + "'");
        }
        try {
            Triggers.checkCron(schedule);
        } catch (IllegalArgumentException e) {
            throw y.error(at, e.getMessage());
        }
    }
}
