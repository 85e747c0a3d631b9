package org.ppaforge.pipeline;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.bouncycastle.openpgp.PGPSecretKey;
import org.eclipse.jgit.revwalk.RevCommit;
import org.ppaforge.archive.ArchiveException;
import org.ppaforge.archive.signing.ReleaseSigner;
import org.ppaforge.build.Build;
import org.ppaforge.build.BuildState;
import org.ppaforge.build.Chroot;
import org.ppaforge.pipeline.definition.DefinitionReader;
import org.ppaforge.pipeline.definition.PipelineDefinition;
import org.ppaforge.pipeline.git.GitMirror;
import org.ppaforge.pipeline.source.SourcePackageMaker;
import org.ppaforge.pipeline.testbed.Testbed;
import org.ppaforge.pipeline.version.RecipeVariables;

/**
 * Takes a queued run through its pipeline: fetch the branch (JGit), read the definition from that commit, then each
 * step the definition names, in order, each recorded with its state and log; the first failing step fails the run and
 * the rest are skipped. Steps so far: check (commands in a testbed), source (daily version, dpkg-source), upload (signed
 * with the pipeline's key, through the archive's upload checks), build (waits for the build farm), promote (copy with
 * binaries), test (the install test: a fresh testbed with the archive in its apt sources installs the named packages and
 * runs the script, which must call back to {@code $PPAFORGE_CALLBACK_URL} before the timeout).
 */
public final class PipelineRunner {
    private final Pipelines pipelines;

    PipelineRunner(Pipelines pipelines) {
        this.pipelines = pipelines;
    }

    /** Runs the oldest queued run, if any; returns it as it ended (null when none was queued). */
    public Run runNext() throws InterruptedException {
        Run run = pipelines.store().startNext(Instant.now());
        if (run == null) {
            return null;
        }
        Pipeline p = pipelines.get(run.pipeline());
        String result = Run.PASSED;
        String message = null;
        Path dir = pipelines.directory().resolve("runs").resolve(Long.toString(run.id()));
        try {
            Files.createDirectories(dir);
            try (GitMirror.Fetched f = new GitMirror(pipelines.directory().resolve("git")).fetch(p.gitUrl(),
                    run.ref() != null ? run.ref() : p.branch())) {
                pipelines.store().setCommit(run.id(), f.commit().getName(), null);
                String text = RecipeVariables.read(f.repository(), f.commit(), p.file());
                if (text == null) {
                    throw new StepFailed("the commit " + f.commit().abbreviate(12).name() + " has no " + p.file());
                }
                PipelineDefinition d = DefinitionReader.read(text, p.file());
                new Steps(run, p, d, f, dir).all();
            }
        } catch (StepFailed e) {
            result = e.cancelled ? Run.CANCELLED : e.timedOut ? Run.TIMED_OUT : Run.FAILED;
            message = e.getMessage();
        } catch (IOException | RuntimeException e) {
            result = Run.FAILED;
            message = e.getMessage();
        } finally {
            try {
                org.ppaforge.archive.FileTrees.delete(dir);
            } catch (IOException e) {
                // a later run's sweep
            }
        }
        pipelines.store().finishRun(run.id(), result, message, Instant.now());
        return pipelines.run(run.id());
    }

    static final class StepFailed extends Exception {
        final boolean timedOut;
        final boolean cancelled;

        StepFailed(String message) {
            this(message, false);
        }

        StepFailed(String message, boolean timedOut) {
            this(message, timedOut, false);
        }

        StepFailed(String message, boolean timedOut, boolean cancelled) {
            super(message);
            this.timedOut = timedOut;
            this.cancelled = cancelled;
        }
    }

    /** The steps of one run. */
    private final class Steps {
        final Run run;
        final Pipeline pipeline;
        final PipelineDefinition d;
        final GitMirror.Fetched git;
        final Path dir;
        final List<String> names = new ArrayList<>();
        SourcePackageMaker.Result source;
        Path changes;

        Steps(Run run, Pipeline pipeline, PipelineDefinition d, GitMirror.Fetched git, Path dir) {
            this.run = run;
            this.pipeline = pipeline;
            this.d = d;
            this.git = git;
            this.dir = dir;
            if (d.check() != null) {
                names.add("check");
            }
            if (d.source() != null) {
                names.add("source");
            }
            if (d.upload()) {
                names.add("upload");
            }
            if (d.build() != null) {
                names.add("build");
            }
            if (d.test() != null) {
                names.add("test");
            }
            if (d.promote() != null) {
                names.add("promote");
            }
        }

        void all() throws StepFailed, InterruptedException {
            for (int i = 0; i < names.size(); i++) {
                pipelines.store().step(run.id(), i, names.get(i), "waiting", null, Instant.now());
            }
            for (int i = 0; i < names.size(); i++) {
                String name = names.get(i);
                if (pipelines.store().cancelRequested(run.id())) {
                    for (int j = i; j < names.size(); j++) {
                        pipelines.store().step(run.id(), j, names.get(j), "skipped", "the run was cancelled", Instant.now());
                    }
                    throw new StepFailed("cancelled", false, true);
                }
                pipelines.store().step(run.id(), i, name, "running", null, Instant.now());
                try {
                    String done = switch (name) {
                        case "check" -> check();
                        case "source" -> source();
                        case "upload" -> upload();
                        case "build" -> build();
                        case "test" -> test();
                        case "promote" -> promote();
                        default -> throw new IllegalStateException(name);
                    };
                    pipelines.store().step(run.id(), i, name, "passed", done, Instant.now());
                } catch (StepFailed | IOException | RuntimeException e) {
                    String why = e.getMessage();
                    pipelines.store().step(run.id(), i, name, e instanceof StepFailed sf && sf.timedOut ? "timed-out" : "failed", why,
                            Instant.now());
                    for (int j = i + 1; j < names.size(); j++) {
                        pipelines.store().step(run.id(), j, names.get(j), "skipped", "an earlier step failed", Instant.now());
                    }
                    throw e instanceof StepFailed sf ? sf : new StepFailed(name + ": " + why);
                }
            }
        }

        void log(String step, String text) {
            try {
                Path f = pipelines.logFile(run.id(), step);
                Files.createDirectories(f.getParent());
                Files.writeString(f, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (IOException e) {
                // the log is best effort; the step's result is recorded anyway
            }
        }

        String check() throws IOException, InterruptedException, StepFailed {
            Chroot chroot = pipelines.builds().store().chroot(d.series(), "amd64").orElseThrow(() -> new StepFailed(
                    "check: no testbed for " + d.series() + ": create the build environment with 'ppa chroot create " + d.series() + "'"));
            Path tarball = pipelines.archive().blobs().localPath(chroot.sha256());
            Testbed bed = Testbed.of(tarball, chroot.sha256(), pipelines.directory().resolve("testbeds"));
            Path tree = Files.createDirectories(dir.resolve("checkout"));
            new SourcePackageMaker(git.repository()).exportTree(git.commit(), tree);
            Path artifacts = pipelines.artifacts(run.id());
            List<String> kept = new ArrayList<>();
            Testbed.Result r = bed.run(tree, String.join("\n", d.check().commands()) + "\n", Map.of("CI", "true",
                    "PPAFORGE_PIPELINE", pipeline.name(), "PPAFORGE_COMMIT", git.commit().getName()), d.check().timeout(),
                    text -> log("check", text), src -> {
                        for (String a : d.check().artifacts()) {
                            Path f = src.resolve(a).normalize();
                            if (f.startsWith(src) && Files.isRegularFile(f)) {
                                try {
                                    Path target = artifacts.resolve(a).normalize();
                                    Files.createDirectories(target.getParent());
                                    Files.copy(f, target, StandardCopyOption.REPLACE_EXISTING);
                                    kept.add(a);
                                } catch (IOException e) {
                                    log("check", "\nppaforge: could not keep " + a + ": " + e.getMessage() + "\n");
                                }
                            }
                        }
                    });
            if (r.timedOut()) {
                throw new StepFailed("check: no result within " + d.check().timeout().toMinutes() + "m", true);
            }
            if (!r.passed()) {
                throw new StepFailed("check: a command failed (exit " + r.exit() + "):\n" + tail(pipelines.logFile(run.id(), "check")));
            }
            return "passed" + (kept.isEmpty() ? "" : "; artifacts: " + String.join(", ", kept));
        }

        String source() throws IOException, InterruptedException {
            RevCommit packaging = null;
            GitMirror.Fetched pack = null;
            try {
                if (d.source().packagingBranch() != null) {
                    pack = new GitMirror(pipelines.directory().resolve("git")).fetch(pipeline.gitUrl(), d.source().packagingBranch());
                    packaging = pack.commit();
                }
                source = new SourcePackageMaker(git.repository()).commit(git.commit()).packaging(packaging).template(d.version())
                        .distribution(d.series()).reason("ppaforge pipeline " + pipeline.name() + ", run " + run.id())
                        .make(dir.resolve("source"));
            } finally {
                if (pack != null) {
                    pack.close();
                }
            }
            pipelines.store().setCommit(run.id(), null, source.version().toString());
            return source.source() + " " + source.version();
        }

        String upload() throws IOException, InterruptedException, StepFailed {
            List<PGPSecretKey> keys = List.of(pipelines.secretKey(pipeline.name()).getSecretKey());
            ReleaseSigner signer = new ReleaseSigner(keys, null);
            Date now = new Date();
            Path dsc = source.dsc();
            Files.write(dsc, signer.clearSigned(Files.readString(dsc, StandardCharsets.UTF_8), now));
            ProcessBuilder pb = new ProcessBuilder("dpkg-genchanges", "-S", "-sa").directory(source.tree().toFile());
            pb.environment().put("LC_ALL", "C.UTF-8");
            Process p = pb.start();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new StepFailed("upload: dpkg-genchanges failed: " + err.strip());
            }
            String noEpoch = source.version().toString().substring(source.version().toString().indexOf(':') + 1);
            String name = source.source() + "_" + noEpoch + "_source.changes";
            changes = dsc.resolveSibling(name);
            Files.write(changes, signer.clearSigned(text, now));
            var queue = pipelines.archive().incoming();
            Path incoming = Files.createDirectories(queue.directory(d.archive()));
            List<String> files = new ArrayList<>();
            for (String line : text.substring(text.indexOf("\nFiles:") + 1).lines().skip(1).takeWhile(l -> l.startsWith(" ")).toList()) {
                files.add(line.strip().split("\\s+")[4]);
            }
            for (String f : files) {
                Files.copy(dsc.resolveSibling(f), incoming.resolve(f), StandardCopyOption.REPLACE_EXISTING);
            }
            Files.copy(changes, incoming.resolve(name), StandardCopyOption.REPLACE_EXISTING);
            try {
                var r = pipelines.archive().processUpload().archive(d.archive()).changes(name).token("pipeline:" + pipeline.name())
                        .origin("pipeline " + pipeline.name() + " run " + run.id()).call();
                return "accepted into " + r.archive() + "/" + r.series() + ": " + source.source() + " " + source.version();
            } catch (ArchiveException e) {
                String hint = e.kind() == ArchiveException.Kind.FORBIDDEN ? " (make the pipeline's key an uploader: 'ppa pipeline key "
                        + pipeline.name() + " > key.asc && ppa uploader add " + d.archive() + " key.asc')" : "";
                throw new StepFailed("upload: " + e.getMessage() + hint);
            }
        }

        String build() throws InterruptedException, StepFailed {
            long deadline = System.nanoTime() + d.build().timeout().toNanos();
            while (true) {
                List<Build> bs = pipelines.builds().list().archive(d.archive()).source(source.source()).limit(50).call().stream()
                        .filter(b -> b.version().equals(source.version().toString())).toList();
                if (!bs.isEmpty() && bs.stream().allMatch(b -> b.state().isFinal() || b.state() == BuildState.DEPENDENCY_WAIT)) {
                    List<String> bad = bs.stream().filter(b -> b.state() != BuildState.BUILT)
                            .map(b -> "build " + b.id() + " (" + b.architecture() + ") " + b.state().label()).toList();
                    if (!bad.isEmpty()) {
                        throw new StepFailed("build: " + String.join(", ", bad));
                    }
                    return "built: " + String.join(", ", bs.stream().map(b -> "build " + b.id() + " (" + b.architecture() + ")").toList());
                }
                if (System.nanoTime() > deadline) {
                    throw new StepFailed("build: not built within " + d.build().timeout().toMinutes() + "m", true);
                }
                Thread.sleep(1000);
            }
        }

        /**
         * The install test. Its verdict is the callback, from the script or from anything it started (a booted machine),
         * not the script's exit status; a script that fails and has not called back within 10 s fails the step at once.
         */
        String test() throws IOException, InterruptedException, StepFailed {
            String base = pipelines.baseUrl();
            if (base == null) {
                throw new StepFailed("test: the install test needs the server (its archive and its callback): run the pipeline "
                        + "from 'ppa serve'");
            }
            Chroot chroot = pipelines.builds().store().chroot(d.series(), "amd64").orElseThrow(() -> new StepFailed(
                    "test: no testbed for " + d.series() + ": create the build environment with 'ppa chroot create " + d.series() + "'"));
            Testbed bed = Testbed.of(pipelines.archive().blobs().localPath(chroot.sha256()), chroot.sha256(),
                    pipelines.directory().resolve("testbeds"));
            byte[] raw = new byte[24];
            new java.security.SecureRandom().nextBytes(raw);
            String secret = java.util.HexFormat.of().formatHex(raw);
            Instant until = Instant.now().plus(d.test().timeout());
            pipelines.store().expectCallback(run.id(), Pipelines.sha256(secret), until);
            String url = base + "/api/v1/pipelines/runs/" + run.id() + "/callback/" + secret;
            String sources = pipelines.archive().aptSources().archive(d.archive()).url(base).series(d.series()).withSources(false).call();
            String script = "cat > /etc/apt/sources.list.d/ppaforge.sources <<'PPAFORGE_EOF'\n" + sources.strip() + "\nPPAFORGE_EOF\n"
                    + "apt-get update -q\n"
                    + (d.test().install().isEmpty() ? "" : "DEBIAN_FRONTEND=noninteractive apt-get install -y -q "
                    + String.join(" ", d.test().install().stream().map(x -> x.replaceAll("[^A-Za-z0-9.+:=~-]", "")).toList()) + "\n")
                    + "exec /bin/sh -e ./" + d.test().script().replaceFirst("^\\./", "") + "\n";
            Path tree = Files.createDirectories(dir.resolve("test-checkout"));
            new SourcePackageMaker(git.repository()).exportTree(git.commit(), tree);
            Testbed.Result[] result = new Testbed.Result[1];
            Exception[] failed = new Exception[1];
            Thread t = new Thread(() -> {
                try {
                    result[0] = bed.run(tree, script, Map.of("PPAFORGE_CALLBACK_URL", url, "PPAFORGE_RUN", Long.toString(run.id())),
                            d.test().timeout(), text -> log("test", text.replace(secret, "***")), src -> { });
                } catch (InterruptedException e) {
                    // the verdict came: the testbed was stopped
                } catch (IOException | RuntimeException e) {
                    failed[0] = e;
                }
            }, "pipeline-test-" + run.id());
            t.start();
            Instant scriptEnded = null;
            try {
                while (true) {
                    var cb = pipelines.store().callback(run.id()).orElseThrow();
                    if (cb.result() != null) {
                        if (cb.result().equals("pass")) {
                            return "passed (callback" + (cb.message() == null ? "" : ": " + cb.message()) + ")";
                        }
                        throw new StepFailed("test: failed (callback" + (cb.message() == null ? "" : ": " + cb.message()) + ")");
                    }
                    if (failed[0] != null) {
                        throw new StepFailed("test: the testbed could not run: " + failed[0].getMessage());
                    }
                    if (!t.isAlive() && scriptEnded == null) {
                        scriptEnded = Instant.now();
                    }
                    if (scriptEnded != null && result[0] != null && !result[0].passed()
                            && Instant.now().isAfter(scriptEnded.plusSeconds(10))) {
                        throw new StepFailed("test: the test script failed (exit " + result[0].exit() + ") without calling back:\n"
                                + tail(pipelines.logFile(run.id(), "test")));
                    }
                    if (Instant.now().isAfter(until)) {
                        throw new StepFailed("test: no callback within " + format(d.test().timeout()), true);
                    }
                    if (pipelines.store().cancelRequested(run.id())) {
                        throw new StepFailed("cancelled while the install test waited", false, true);
                    }
                    Thread.sleep(250);
                }
            } finally {
                pipelines.store().expectCallback(run.id(), null, null); // a late callback finds no secret to match: 409
                t.interrupt();
                t.join(60_000);
            }
        }

        String promote() {
            var r = pipelines.archive().copy().sources(List.of(source.source() + "=" + source.version())).from(d.archive())
                    .to(d.promote().to()).series(d.series()).withBinaries(d.build() != null)
                    .via("pipeline " + pipeline.name() + " run " + run.id()).call();
            return "copied to " + d.promote().to() + ": " + r;
        }
    }

    private static String format(java.time.Duration d) {
        return d.toSeconds() % 3600 == 0 ? d.toHours() + "h" : d.toSeconds() % 60 == 0 ? d.toMinutes() + "m" : d.toSeconds() + "s";
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "";
        }
    }
}
