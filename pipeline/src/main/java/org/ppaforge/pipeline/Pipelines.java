package org.ppaforge.pipeline;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.archive.signing.OpenPgp;
import org.ppaforge.common.ForgeException;
import org.ppaforge.farm.BuildLogs;
import org.ppaforge.farm.Builds;
import org.ppaforge.pipeline.store.PipelineStore;
import org.ppaforge.pipeline.store.SqlPipelineStore;

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
        return new Pipelines(ppa, builds, SqlPipelineStore.open(ppa.databases()), checkReports, baseUrl, problems);
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

    /** A run's step logs. */
    public Path logDirectory(long run) {
        return directory().resolve("logs").resolve(Long.toString(run));
    }

    /** A run's work directory (its checkout, its source package), made again by each run. */
    public Path runDirectory(long run) {
        return directory().resolve("runs").resolve(Long.toString(run));
    }

    private final java.util.Set<Long> fetchedRuns = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * On shared stores: a finished run's step logs and artifacts go to the pool as blobs, listed in the run's rows, so
     * that any server shows them and none loses them with its disk (the runner calls this once the run ended). The
     * embedded default keeps the files where they are.
     */
    void keepRunFiles(long run) throws IOException {
        if (!ppa.databases().shared()) {
            return;
        }
        List<PipelineStore.RunFile> files = new java.util.ArrayList<>();
        for (var kind : List.of("log", "artifact")) {
            Path dir = kind.equals("log") ? logDirectory(run) : artifacts(run);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (var walk = Files.walk(dir)) {
                for (Path f : walk.filter(x -> Files.isRegularFile(x, java.nio.file.LinkOption.NOFOLLOW_LINKS))
                        .toList()) {
                    String sha = org.ppaforge.debian.checksum.Checksums.sha256(f);
                    ppa.blobs().put(f, sha);
                    files.add(new PipelineStore.RunFile(
                            run, kind, dir.relativize(f).toString(), sha, Files.size(f)));
                }
            }
        }
        store.putRunFiles(run, files);
        fetchedRuns.add(run);
    }

    /**
     * Makes a finished run's logs and artifacts files of this server when they are only in the shared stores (another
     * server ran it, or this one lost its disk): the readers below read files. A no-op on the embedded default.
     */
    public void fetchRunFiles(long run) throws IOException {
        if (!ppa.databases().shared() || fetchedRuns.contains(run)) {
            return;
        }
        List<PipelineStore.RunFile> files = store.runFiles(run);
        for (PipelineStore.RunFile f : files) {
            Path dir = f.kind().equals("log") ? logDirectory(run) : artifacts(run);
            Path to = dir.resolve(f.path()).normalize();
            if (!to.startsWith(dir) || Files.exists(to)) {
                continue;
            }
            Files.createDirectories(to.getParent());
            ppa.blobs().copyTo(f.sha256(), to);
        }
        if (!files.isEmpty()) {
            fetchedRuns.add(run);
        }
    }

    /** The blobs finished runs' files are kept in (gc keeps them); none on the embedded default. */
    public java.util.Set<String> runFileBlobs() {
        if (!ppa.databases().shared()) {
            return java.util.Set.of();
        }
        java.util.Set<String> out = new java.util.HashSet<>();
        store.runFiles(null).forEach(f -> out.add(f.sha256()));
        return out;
    }

    public Path logFile(long run, String step) {
        return logDirectory(run).resolve(step + ".log");
    }

    /** A page of a step's log from a byte offset (an empty last page when the step has written none yet). */
    public StepLog stepLog(long run, String step, long offset) throws IOException {
        Run r = run(run);
        // A step's name, with its series and configuration in a run for several: build, test:trixie:sqlite.
        if (step == null || !step.matches("[a-z]{1,16}(:[a-z0-9][a-z0-9.+-]{0,62}){0,2}")) {
            throw ForgeException.invalid("invalid step name '" + step + "'");
        }
        if (r.isFinal()) {
            fetchRunFiles(r.id());
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

    Path keyFile(String pipeline) {
        return directory().resolve("keys").resolve(pipeline + ".asc");
    }

    /** Registers a pipeline and makes its signing key. */
    public CreatePipeline create() {
        return new CreatePipeline(this);
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

    /**
     * The pipeline's signing key (for its upload step): a file of {@code keys/} on the embedded default, a row of the
     * shared database (passphrase-protected, as archive keys are) when several servers share the stores.
     */
    public PGPSecretKeyRing secretKey(String name) throws IOException {
        if (ppa.databases().shared()) {
            return ppa.secretKeys().read(get(name).keyFingerprint());
        }
        return OpenPgp.readSecretRing(Files.readAllBytes(keyFile(name)), "the key of pipeline " + name);
    }

    /** Keeps a pipeline's signing key where {@link #secretKey} reads it (a migration brings keys this way). */
    public void keepKey(String name, PGPSecretKeyRing ring) throws IOException {
        if (ppa.databases().shared()) {
            PGPSecretKeyRing kept = OpenPgp.protect(ring, ppa.keyPassphrase());
            ppa.metadata().write(tx -> {
                ppa.secretKeys().write(tx, kept);
                return null;
            });
            return;
        }
        org.ppaforge.archive.signing.SecretKeyFiles.writeOwnerOnly(keyFile(name), ring);
    }

    /** Queues a run of a pipeline. */
    public StartRun start() {
        return new StartRun(this);
    }

    /** Wakes a runner waiting for a queued run. */
    void queued() {
        synchronized (queued) {
            queued.notifyAll();
        }
    }

    private final Object queued = new Object();

    /** Waits up to {@code millis} for a run to be queued (the runner's idle wait). */
    public void awaitQueued(long millis) throws InterruptedException {
        synchronized (queued) {
            queued.wait(millis);
        }
    }

    /** Forgets runs beyond each pipeline's newest ones (retention). */
    public ExpireRuns expireRuns() {
        return new ExpireRuns(this);
    }

    /** Cancels a run. */
    public CancelRun cancel() {
        return new CancelRun(this);
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

    /** Now, by the forge's clock: the times runs and pipelines record. */
    public Instant now() {
        return ppa.clock().instant();
    }

    /** The URL the server answers at, or null while none runs: install tests fetch the archive and call back there. */
    public String baseUrl() {
        return baseUrl.get();
    }

    /** An install test's report. */
    public RunCallback callback() {
        return new RunCallback(this);
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
