package org.ppaforge.client.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.util.List;

/**
 * The request bodies of the archive API's writes, as the HTTP client sends them and the server reads them (absent
 * values are left out, and mean "the default" or "unchanged"). Answers are the verbs' own result records.
 */
public final class ArchiveRequests {
    private ArchiveRequests() {}

    /** {@code POST /api/v1/archives}; {@code key} is ed25519, rsa4096 or none (absent: ed25519). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CreateArchive(
            String name,
            String description,
            List<String> series,
            List<String> components,
            List<String> architectures,
            String key) {}

    /** {@code POST /api/v1/archives/NAME/settings}: null leaves a setting as it is. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Settings(
            String origin,
            String label,
            Boolean notAutomatic,
            Boolean butAutomaticUpgrades,
            Duration validFor,
            Duration keepSuperseded,
            @JsonProperty("private") Boolean privateArchive) {}

    /**
     * {@code ppa import}: the repository ({@code deb URL SUITE [COMPONENT...]}), its key (armoured; null with {@code
     * ignoreSignature}), the target, and which packages (empty: all).
     */
    public record Import(
            String from,
            String key,
            boolean ignoreSignature,
            String into,
            String series,
            List<String> packages,
            boolean withSources,
            boolean update,
            boolean removeMissing,
            boolean dryRun) {}

    /** {@code POST /api/v1/copy}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Copy(
            List<String> sources,
            String from,
            String to,
            String series,
            String toSeries,
            boolean withBinaries,
            boolean withDependencies,
            List<String> satisfiedBy,
            boolean dryRun,
            boolean withBuildDependencies) {
        public Copy(
                List<String> sources, String from, String to, String series, String toSeries, boolean withBinaries) {
            this(sources, from, to, series, toSeries, withBinaries, false, null, false, false);
        }
    }

    /** {@code POST /api/v1/sync}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Sync(
            String from,
            String to,
            String series,
            boolean dryRun,
            boolean allowDowngrade,
            boolean withDependencies,
            List<String> satisfiedBy) {}

    /** {@code POST /api/v1/archives/NAME/remove}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Remove(String source, String series, String reason) {}

    /** {@code POST /api/v1/tokens}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CreateToken(String name, String role, String archive) {}

    /** What {@code include} sends besides the files (as query parameters of the multipart request). */
    public record Include(
            String archive, String series, String component, boolean allowDowngrade, boolean skipRefused) {}
}
