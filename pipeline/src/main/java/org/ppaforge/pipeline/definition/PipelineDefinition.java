package org.ppaforge.pipeline.definition;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A pipeline as {@code .ppaforge.yml} defines it: where the result goes, how its version is made, and the steps, each
 * optional, run in this order: check, source, upload, build, test, promote. See {@link DefinitionReader} for the file.
 *
 * @param archive the archive uploads go to (e.g. trunk)
 * @param series the series a run makes a source package for, each its own (empty: every series of the archive)
 * @param version the version template (Launchpad recipe variables, e.g. {@code {debupstream}+git{revtime}.{revno}.{git-commit}-0ppa1})
 */
public record PipelineDefinition(
        String archive,
        List<String> series,
        String version,
        Check check,
        Source source,
        boolean upload,
        Build build,
        Test test,
        Promote promote,
        Triggers triggers) {
    public static final String DEFAULT_VERSION = "{debupstream}+git{revtime}.{revno}.{git-commit}-0ppa1";

    /** Lint and unit tests: commands run with the checkout at hand; files they leave named as artifacts are kept. */
    public record Check(List<String> commands, List<String> artifacts, Duration timeout, Coverage coverage) {
        public Check(List<String> commands, List<String> artifacts, Duration timeout) {
            this(commands, artifacts, timeout, null);
        }
    }

    /**
     * Coverage reports the check leaves (JaCoCo XML, Cobertura XML, lcov), stored for the commit, and the gates they must
     * pass: a minimum, the largest drop against the parent commit, the coverage of the lines the commit changed (null:
     * not checked).
     */
    public record Coverage(List<String> files, Double min, Double maxDrop, Double patch) {}

    /** The source package: packaging from the tree ({@code debian/}) or from another branch. */
    public record Source(String packagingBranch) {}

    /** Waits for the build farm's binaries of the upload. */
    public record Build(Duration timeout) {}

    /**
     * The install test: one or more named configurations, each run in a fresh testbed of every series of the run; each
     * must call back, and the step passes when all pass.
     */
    public record Test(List<Configuration> configurations) {
        /** The name of the one configuration of a {@code test:} that names none. */
        public static final String DEFAULT = "default";
    }

    /**
     * One configuration of the install test: the archive in apt's sources with these extra lines ({@code {series}}
     * replaced), these debconf answers preseeded, these packages installed, then the script with these environment
     * variables; its verdict is the callback.
     */
    public record Configuration(
            String name,
            List<String> install,
            Map<String, String> env,
            String debconf,
            List<String> aptSources,
            String script,
            Duration timeout) {}

    /** Copy the result to another archive once every earlier step passed; optionally only without version skew. */
    /** {@code withDependencies}: the copy takes along what the promoted binaries need and the target lacks. */
    public record Promote(String to, boolean skewCheck, boolean withDependencies) {}

    /** When it runs besides by hand: polling the branch, a push webhook, a schedule (cron or daily). */
    public record Triggers(Duration poll, boolean webhook, String schedule) {}
}
