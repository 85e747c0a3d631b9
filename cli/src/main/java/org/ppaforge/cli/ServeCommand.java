package org.ppaforge.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.archive.model.Archive;
import org.ppaforge.archive.upload.UploadLimits;
import org.ppaforge.debian.deb.UnpackLimits;
import org.ppaforge.farm.Builds;
import org.ppaforge.farm.sbuild.Tools;
import org.ppaforge.farm.worker.Worker;
import org.ppaforge.pipeline.Pipelines;
import org.ppaforge.qa.CoverageCheck;
import org.ppaforge.qa.Qa;
import org.ppaforge.server.PpaServer;
import org.ppaforge.server.Tls;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import sun.misc.Signal;

@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = {
            "Serve every archive's signed apt tree over HTTP: /<archive>/dists/..., /<archive>/pool/... and the "
                    + "public key at /<archive>/key.asc (HEAD, Range, Last-Modified/If-Modified-Since, ETag), and the JSON API "
                    + "under /api/v1 (writes need a token; the first start creates an admin token and prints it, or takes "
                    + "$PPAFORGE_ADMIN_TOKEN).",
            "Point apt at it with 'ppa sources ARCHIVE --url http://HOST:PORT'. Stop with Ctrl-C or SIGTERM: new requests get "
                    + "503, those in flight (an upload being processed) finish first, up to 30 s; then it exits 0.",
            "Tokens and uploads cross the network in clear over plain HTTP: beyond 127.0.0.1, serve HTTPS (--tls-cert, "
                    + "--tls-key) or put a TLS proxy in front. dput's method is then 'https', and apt needs nothing more.",
            "Prints one line per write (dput uploads, API writes): time, client, method, path, status, duration and "
                    + "the answer's reason, e.g. the reason an upload was rejected. Reads are not logged."
        },
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:stopped",
            "2:a bad option, or a TLS certificate or key that cannot be used",
            "4:the port cannot be used"
        })
final class ServeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DataDir dataDir;

    @Option(
            names = "--port",
            defaultValue = "8080",
            description = "TCP port (default: ${DEFAULT-VALUE}; 0 picks a free one)")
    int port;

    @Option(
            names = "--bind",
            defaultValue = "127.0.0.1",
            paramLabel = "ADDRESS",
            description = "address to listen on (default: ${DEFAULT-VALUE}; 0.0.0.0 for every interface)")
    String bind;

    @Option(
            names = "--tls-cert",
            paramLabel = "FILE",
            description =
                    "serve HTTPS with this PEM certificate chain (the server's certificate first), e.g. certbot's "
                            + "fullchain.pem; needs --tls-key")
    Path tlsCert;

    @Option(
            names = "--tls-key",
            paramLabel = "FILE",
            description =
                    "the certificate's unencrypted PKCS#8 PEM private key (RSA, EC or Ed25519), e.g. certbot's privkey.pem. "
                            + "Both files are read again when they change (within 10 s): a renewal needs no restart")
    Path tlsKey;

    @Option(
            names = "--workers",
            defaultValue = "1",
            paramLabel = "N",
            description = "embedded build workers (sbuild, unshare mode) for this machine's architecture (default: "
                    + "${DEFAULT-VALUE}; 0: none, builds wait for 'ppa worker' on other machines)")
    int workers;

    @Option(
            names = "--max-file-size",
            defaultValue = "1G",
            paramLabel = "SIZE",
            description = "largest file of an upload, e.g. 500M (default: ${DEFAULT-VALUE}); larger ones get 413")
    String maxFileSize;

    @Option(
            names = "--max-upload-size",
            defaultValue = "2G",
            paramLabel = "SIZE",
            description =
                    "largest upload, all its files together (dput) or one API request (default: ${DEFAULT-VALUE}); "
                            + "larger ones get 413")
    String maxUploadSize;

    @Option(
            names = "--max-unpacked-size",
            defaultValue = "16G",
            paramLabel = "SIZE",
            description =
                    "most a .deb's data may unpack to (default: ${DEFAULT-VALUE}); past 256M it may also unpack to at most "
                            + "200 times its compressed size, so a decompression bomb is refused within seconds")
    String maxUnpackedSize;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if ("root".equals(System.getProperty("user.name"))) {
            spec.commandLine()
                    .getErr()
                    .println("ppa serve: warning: running as root. Builds and pipelines run uploaders' code "
                            + "(sandboxed, unprivileged), but the server itself needs no privilege: run it as a dedicated user "
                            + "(contrib/systemd/ppaforge.service; README, 'Running as a service').");
            spec.commandLine().getErr().flush();
        }
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--tls-cert and --tls-key go together");
        }
        SSLContext tls = tlsCert == null ? null : Tls.context(tlsCert, tlsKey);
        var limits = new UploadLimits(UploadLimits.parseSize(maxFileSize), UploadLimits.parseSize(maxUploadSize));
        if (workers < 0 || workers > 64) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "--workers is between 0 and 64, not " + workers);
        }
        try (Ppaforge ppa = dataDir.open();
                Builds builds = Builds.open(ppa);
                Pipelines pipelines = Pipelines.open(ppa, builds);
                Qa qa = Qa.open(ppa)) {
            pipelines.checkReports(new CoverageCheck(qa));
            ppa.uploadLimits(limits);
            ppa.unpackLimits(UnpackLimits.DEFAULT.withMaxBytes(UploadLimits.parseSize(maxUnpackedSize)));
            // What a kill left: uploads received whole but never processed, temporary files, unpublished changes.
            var recovered = ppa.recover().atServerStart(true).call();
            for (String u : recovered.uploads()) {
                out.println("processed an upload left in the queue: " + u);
            }
            if (recovered.removed() > 0) {
                out.println("removed " + recovered.removed() + " temporary file(s) left by a stopped process");
            }
            for (Archive a :
                    ppa.listArchives().call().stream().map(s -> s.archive()).toList()) {
                ppa.publish().archive(a.name()).call(); // the trees are current before anyone reads them
            }
            String given = System.getenv("PPAFORGE_ADMIN_TOKEN");
            if (given != null && !ppa.listTokens().call().isEmpty()) {
                out.println(
                        "note: $PPAFORGE_ADMIN_TOKEN is ignored: tokens exist already (it only seeds the first admin token "
                                + "of a new data directory; 'ppa token create NAME --role admin' makes another)");
            } else if (ppa.listTokens().call().isEmpty()) { // first start: an admin token, so the quick start works
                var created = ppa.createToken()
                        .name("admin")
                        .role("admin")
                        .secret(given)
                        .call();
                if (given == null) {
                    out.println("created the first admin token (shown only now; 'ppa token create' makes more):");
                    out.println("  " + created.secret());
                } else {
                    out.println("created the admin token from $PPAFORGE_ADMIN_TOKEN");
                }
            }
            PpaServer server = new PpaServer(ppa, bind, port, PpaServer.Timeouts.DEFAULT, tls)
                    .builds(builds)
                    .pipelines(pipelines)
                    .qa(qa)
                    .log(line -> {
                        synchronized (out) {
                            out.println(line);
                            out.flush();
                        }
                    });
            builds.onEvent(e -> {
                synchronized (out) {
                    out.println("build " + e.build().id() + " " + e.build().title() + ": "
                            + (e.from() == null ? "" : e.from().label() + " -> ") + e.to().label());
                    out.flush();
                }
            });
            // Installed before anything is announced: a stop right after the "serving" line is a normal stop too.
            CountDownLatch stop = new CountDownLatch(1);
            for (String signal : new String[] {"TERM", "INT"}) {
                Signal.handle(new Signal(signal), s -> stop.countDown());
            }
            try {
                server.start();
            } catch (RuntimeException e) { // Undertow's bind failure (address in use, no such address)
                throw new IOException(
                        "cannot listen on " + bind + ":" + port + ": "
                                + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()),
                        e);
            }
            String base =
                    server.scheme() + "://" + (bind.contains(":") ? "[" + bind + "]" : bind) + ":" + server.port();
            out.println("ppaforge serving " + ppa.publishRoot() + " at " + base + "/");
            out.println("  web pages at " + base + "/ (sign in with a token at " + base + "/+signin)");
            for (Archive a :
                    ppa.listArchives().call().stream().map(s -> s.archive()).toList()) {
                out.println("  " + a.name() + ": apt sources with 'ppa sources " + a.name() + " --url " + base
                        + "', key at " + base + "/" + a.name() + "/key.asc, dput incoming " + base + "/upload/"
                        + a.name());
            }
            var left = builds.recover().call(); // builds a stopped server left between results and publication
            if (!left.built().isEmpty() || !left.requeued().isEmpty()) {
                out.println("builds left uploading by a stopped server: "
                        + left.built().size() + " built, " + left.requeued().size() + " queued again");
            }
            for (Archive a :
                    ppa.listArchives().call().stream().map(s -> s.archive()).toList()) {
                builds.queue().archive(a.name()).call(); // sources published while no server ran get their builds
            }
            pipelines.baseUrl(base.replace("0.0.0.0", "127.0.0.1").replace("[::]", "127.0.0.1"));
            builds.poll(); // remembers where each archive is
            var poller = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "build-poller");
                t.setDaemon(true);
                return t;
            });
            poller.scheduleWithFixedDelay(
                    () -> {
                        try {
                            builds.poll();
                        } catch (RuntimeException e) {
                            System.err.println("ppaforge: looking for archive changes: " + e.getMessage());
                        }
                    },
                    2,
                    2,
                    TimeUnit.SECONDS);
            // Pipeline runs, one at a time, as they are queued ('ppa pipeline run', later triggers).
            Thread runner = new Thread(
                    () -> {
                        while (!Thread.currentThread().isInterrupted()) {
                            try {
                                pipelines.triggers().tick(Instant.now()); // polls and daily schedules
                                var done = pipelines.runner().runNext();
                                if (done != null) {
                                    synchronized (out) {
                                        out.println("pipeline run " + done.id() + " of " + done.pipeline() + ": "
                                                + done.state()
                                                + (done.version() == null ? "" : " (" + done.version() + ")"));
                                        out.flush();
                                    }
                                } else {
                                    pipelines.awaitQueued(2000); // a queued run (a webhook) starts at once
                                }
                            } catch (InterruptedException e) {
                                return;
                            } catch (RuntimeException e) {
                                System.err.println("ppaforge: pipeline runner: " + e.getMessage());
                            }
                        }
                    },
                    "pipeline-runner");
            runner.setDaemon(true);
            runner.start();
            // Scheduled rebuild sets (daily or cron), one run at a time, each in its own thread: a run waits for real
            // builds.
            qa.builds(builds);
            Thread rebuilder = new Thread(
                    () -> {
                        while (!Thread.currentThread().isInterrupted()) {
                            try {
                                for (var set : qa.rebuilds().due(Instant.now())) {
                                    var r = qa.rebuilds().runDue(set.name());
                                    synchronized (out) {
                                        out.println("rebuild run " + r.id() + " of " + r.set() + ": " + r.message());
                                        out.flush();
                                    }
                                }
                                Thread.sleep(30_000);
                            } catch (InterruptedException e) {
                                return;
                            } catch (RuntimeException e) {
                                System.err.println("ppaforge: rebuilds: " + e.getMessage());
                            }
                        }
                    },
                    "rebuild-runner");
            rebuilder.setDaemon(true);
            rebuilder.start();
            List<Worker> embedded = new ArrayList<>();
            if (workers > 0 && !Tools.installed("sbuild")) {
                out.println(
                        "sbuild is not installed: builds wait for a worker ('ppa worker' on a machine with sbuild; here: "
                                + "apt-get install sbuild mmdebstrap uidmap)");
            } else {
                String arch = WorkerCommand.hostArchitecture();
                for (int i = 0; i < workers; i++) {
                    var w = new Worker(
                                    base,
                                    ppa.processToken().secret(),
                                    "embedded-" + (i + 1),
                                    List.of(arch),
                                    builds.workerDirectory())
                            .say(line -> {
                                synchronized (out) {
                                    out.println(line);
                                    out.flush();
                                }
                            });
                    embedded.add(w);
                    Thread t = new Thread(w, "embedded-worker-" + (i + 1));
                    t.setDaemon(true);
                    t.start();
                }
                if (workers > 0) {
                    boolean chroots = !builds.listChroots().call().isEmpty();
                    out.println(workers + " embedded build worker(s) for " + arch
                            + (chroots
                                    ? ""
                                    : " (no build environment yet: "
                                            + "builds wait in chroot-wait until 'ppa chroot create SERIES --arch "
                                            + arch + " --mirror URL')"));
                }
            }
            out.flush();
            // SIGTERM (systemd, docker stop, kill) and SIGINT (Ctrl-C) are a normal stop: requests in flight end, the
            // store
            // closes, exit status 0. (The JVM's default would skip that and exit 143 or 130.)
            stop.await();
            embedded.forEach(Worker::stop);
            poller.shutdownNow();
            runner.interrupt();
            rebuilder.interrupt();
            server.close();
            out.println("ppaforge stopped");
            out.flush();
            return ExitCodes.OK;
        }
    }
}
