package org.ppaforge.pipeline;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.archive.signing.OpenPgp;
import org.ppaforge.common.ForgeException;
import org.ppaforge.common.Names;
import org.ppaforge.farm.BuildLogs;
import org.ppaforge.farm.Builds;
import org.ppaforge.pipeline.store.PipelineStore;
import org.ppaforge.pipeline.store.SqlitePipelineStore;

/**
 * The pipelines' entry point, beside {@link Ppaforge} and {@link Builds}: registered pipelines, their runs and the runner
 * that takes queued runs through their steps. Each pipeline has a signing key of its own ({@link #publicKey}); an archive's
 * admin makes it an uploader of the archive its uploads go to.
 */
public final class Pipelines implements AutoCloseable {
    private final Ppaforge ppa;
    private final Builds builds;
    private final PipelineStore store;

    private final CheckReports checkReports;
    private final Supplier<String> baseUrl;
    private final Consumer<String> problems;

    /**
     * @param checkReports what reads the check step's coverage reports (the QA module), or {@link CheckReports#NONE}
     * @param baseUrl the URL the server answers at, once it does (install tests fetch the archive and call back there);
     *     null while no server runs
     * @param problems where trouble in the background (a pipeline's repository that cannot be fetched) is reported
     */
    public Pipelines(
            Ppaforge ppa,
            Builds builds,
            PipelineStore store,
            CheckReports checkReports,
            Supplier<String> baseUrl,
            Consumer<String> problems) {
        this.ppa = ppa;
        this.builds = builds;
        this.store = store;
        this.checkReports = checkReports;
        this.baseUrl = baseUrl;
        this.problems = problems;
    }

    /** The embedded default ({@code pipelines.db}), without coverage and without a server. */
    public static Pipelines open(Ppaforge ppa, Builds builds) {
        return open(ppa, builds, CheckReports.NONE, () -> null, problem -> {});
    }

    public static Pipelines open(
            Ppaforge ppa,
            Builds builds,
            CheckReports checkReports,
            Supplier<String> baseUrl,
            Consumer<String> problems) {
        return new Pipelines(
                ppa,
                builds,
                new SqlitePipelineStore(ppa.dataDirectory().resolve("pipelines.db")),
                checkReports,
                baseUrl,
                problems);
    }

    /** Where trouble in the background is reported. */
    public Consumer<String> problems() {
        return problems;
    }

    public Ppaforge archive() {
        return ppa;
    }

    public Builds builds() {
        return builds;
    }

    public PipelineStore store() {
        return store;
    }

    /** {@code data/pipelines}: git mirrors, keys, logs, artifacts and run directories. */
    public Path directory() {
        return ppa.dataDirectory().resolve("pipelines");
    }

    public Path logFile(long run, String step) {
        return directory().resolve("logs").resolve(Long.toString(run)).resolve(step + ".log");
    }

    /** A page of a step's log from a byte offset (an empty last page when the step has written none yet). */
    public StepLog stepLog(long run, String step, long offset) throws IOException {
        Run r = run(run);
        if (step == null || !step.matches("[a-z]{1,16}")) {
            throw ForgeException.invalid("invalid step name '" + step + "'");
        }
        Path f = logFile(r.id(), step);
        BuildLogs.Page page = new BuildLogs.Page("", 0, true); // no log yet
        if (Files.exists(f)) {
            try (InputStream in = Files.newInputStream(f)) {
                page = BuildLogs.page(in, offset);
            }
        }
        return new StepLog(r.id(), step, page.text(), page.next(), page.end(), r.isFinal() && page.end());
    }

    /** Appends to a step's log (best effort: the step's result is recorded whatever happens to its log). */
    public void appendLog(long run, String step, String text) {
        try {
            Path f = logFile(run, step);
            Files.createDirectories(f.getParent());
            Files.writeString(f, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            // see above
        }
    }

    /** What reads the check step's coverage reports (the QA module); without it a definition's coverage block fails. */
    public CheckReports checkReports() {
        return checkReports;
    }

    /** Where testbeds are unpacked, one directory per chroot tarball's SHA-256. */
    public Path testbeds() {
        return directory().resolve("testbeds");
    }

    public Path artifacts(long run) {
        return directory().resolve("artifacts").resolve(Long.toString(run));
    }

    private Path keyFile(String pipeline) {
        return directory().resolve("keys").resolve(pipeline + ".asc");
    }

    /** Registers a pipeline and makes its signing key. */
    public Pipeline create(String name, String gitUrl, String branch, String file) throws IOException {
        if (!Names.is(Names.SET, name) || name.equals("runs")) {
            throw ForgeException.invalid(
                    "invalid pipeline name '" + name + "': lower-case letters, digits, '.' and '-'");
        }
        if (gitUrl == null || !gitUrl.matches("(https?|git|ssh|file)://\\S+")) {
            throw ForgeException.invalid(
                    "a pipeline needs a git URL (https://, http://, git://, ssh:// or file://), not '" + gitUrl + "'");
        }
        String b = branch == null ? "main" : branch;
        String f = file == null ? ".ppaforge.yml" : file;
        if (f.startsWith("/") || f.contains("..")) {
            throw ForgeException.invalid("the pipeline file is a path inside the repository, not '" + f + "'");
        }
        if (store.pipeline(name).isPresent()) {
            throw ForgeException.refused("a pipeline named '" + name + "' exists");
        }
        PGPSecretKeyRing key = OpenPgp.generate(
                OpenPgp.KeyType.ED25519,
                "ppaforge pipeline " + name + " <" + name + "@pipelines.ppaforge>",
                null,
                new Date());
        Path kf = keyFile(name);
        Files.createDirectories(kf.getParent());
        Files.writeString(kf, OpenPgp.armor(key), StandardCharsets.US_ASCII);
        Files.setPosixFilePermissions(kf, PosixFilePermissions.fromString("rw-------"));
        Pipeline p = new Pipeline(name, gitUrl, b, f, OpenPgp.fingerprint(key.getPublicKey()), Instant.now());
        store.insertPipeline(p);
        return p;
    }

    public List<Pipeline> list() {
        return store.pipelines();
    }

    public Pipeline get(String name) {
        return store.pipeline(name).orElseThrow(() -> ForgeException.notFound("there is no pipeline '" + name + "'"));
    }

    /** The pipeline's public key, ASCII-armoured: add it as an uploader of the archive its uploads go to. */
    public String publicKey(String name) throws IOException {
        get(name);
        return OpenPgp.armor(OpenPgp.publicRing(secretKey(name)));
    }

    /** The pipeline's signing key (for its upload step). */
    public PGPSecretKeyRing secretKey(String name) throws IOException {
        return OpenPgp.readSecretRing(Files.readAllBytes(keyFile(name)), "the key of pipeline " + name);
    }

    /** Queues a run (by hand, a poll, a webhook, a schedule) of the branch or of {@code ref}. */
    public Run start(String name, String trigger, String ref) {
        get(name);
        if (ref != null && !Names.isGitRef(ref)) {
            throw ForgeException.invalid("invalid ref '" + ref + "'");
        }
        Run r = store.run(store.insertRun(name, trigger, ref, Instant.now())).orElseThrow();
        synchronized (queued) {
            queued.notifyAll(); // a waiting runner starts it now, not at its next look
        }
        return r;
    }

    private final Object queued = new Object();

    /** Waits up to {@code millis} for a run to be queued (the runner's idle wait). */
    public void awaitQueued(long millis) throws InterruptedException {
        synchronized (queued) {
            queued.wait(millis);
        }
    }

    /** Cancels a run: a queued one at once; a running one stops before its next step (or while its install test waits). */
    public Run cancel(long id) {
        Run r = run(id);
        if (r.isFinal()) {
            throw ForgeException.refused("run " + id + " is " + r.state() + ": too late to cancel");
        }
        store.requestCancel(id);
        if (r.state().equals(Run.QUEUED)) {
            store.finishRun(id, Run.CANCELLED, "cancelled before it started", Instant.now());
        }
        return run(id);
    }

    public Run run(long id) {
        return store.run(id).orElseThrow(() -> ForgeException.notFound("there is no pipeline run " + id));
    }

    public List<Run> runs(String pipeline, int limit) {
        return store.runsOf(pipeline, limit);
    }

    /** The archive a pipeline uploads to: that of its newest run that read the definition (null before any did). */
    public String archiveOf(String pipeline) {
        return store.latestArchive(pipeline).orElse(null);
    }

    /** What the caller with this token may see and do of pipelines and runs. */
    public PipelineAccess access(String secret) {
        return new PipelineAccess(this, secret);
    }

    /** The newest run whose definition uploads to {@code archive} (for dashboards). */
    public Optional<Run> lastRunInto(String archive) {
        return store.lastRunInto(archive);
    }

    /** The URL the server answers at, or null while none runs: install tests fetch the archive and call back there. */
    public String baseUrl() {
        return baseUrl.get();
    }

    /**
     * An install test reports: {@code result} pass or fail. Only with the run's secret (403 otherwise), once, and only
     * before the timeout (409 after: the run stays timed out).
     */
    public Run callback(long id, String secret, String result, String message) {
        Run r = run(id);
        var cb = store.callback(id).orElseThrow();
        if (cb.sha256() == null) {
            throw ForgeException.refused("run " + id + " is not waiting for a callback (it is " + r.state() + ")");
        }
        if (secret == null
                || !MessageDigest.isEqual(
                        sha256(secret).getBytes(StandardCharsets.US_ASCII),
                        cb.sha256().getBytes(StandardCharsets.US_ASCII))) {
            throw new ForgeException(ForgeException.Kind.FORBIDDEN, "wrong callback secret for run " + id);
        }
        if (!"pass".equals(result) && !"fail".equals(result)) {
            throw ForgeException.invalid("result is pass or fail, not '" + result + "'");
        }
        String m = message == null ? null : message.length() > 2000 ? message.substring(0, 2000) : message;
        if (!store.recordCallback(id, result, m, Instant.now())) {
            Run now = run(id);
            throw ForgeException.refused("run " + id + " takes no callback now: "
                    + (cb.result() != null
                            ? "one came already"
                            : "it is " + now.state() + (now.isFinal() ? "" : " and its callback time is over")));
        }
        return run(id);
    }

    /** Hex SHA-256 of a secret, as stored (callback secrets, never the secrets themselves). */
    public static String sha256(String s) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public Triggers triggers() {
        return new Triggers(this);
    }

    public PipelineRunner runner() {
        return new PipelineRunner(this);
    }

    @Override
    public void close() {
        store.close();
    }
}
