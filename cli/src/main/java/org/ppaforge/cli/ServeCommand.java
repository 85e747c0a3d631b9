package org.ppaforge.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import org.ppaforge.archive.ArchiveSettings;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.archive.model.Archive;
import org.ppaforge.archive.upload.UploadLimits;
import org.ppaforge.debian.deb.UnpackLimits;
import org.ppaforge.forge.BackupSchedule;
import org.ppaforge.forge.Daemon;
import org.ppaforge.forge.Forge;
import org.ppaforge.server.MetricsServer;
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
                    + "the answer's reason, e.g. the reason an upload was rejected. Reads are not logged.",
            "Serves the local data directory (no --server)."
        },
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:stopped",
            "2:a bad option, or a TLS certificate or key that cannot be used",
            "4:the port cannot be used"
        })
final class ServeCommand implements Callable<Integer>, LocalOnly {
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

    @Option(
            names = "--backup",
            paramLabel = "TARGET",
            description = "back up the data directory into this target directory on a schedule (see 'ppa backup'); "
                    + "the passphrase from $PPAFORGE_BACKUP_PASSPHRASE or --backup-passphrase-file")
    Path backupTarget;

    @Option(
            names = "--backup-schedule",
            defaultValue = "daily",
            paramLabel = "WHEN",
            description =
                    "daily (once a UTC day) or a cron expression in UTC, e.g. '30 2 * * *' (default: ${DEFAULT-VALUE})")
    String backupSchedule;

    @Option(
            names = "--backup-passphrase-file",
            paramLabel = "FILE",
            description = "the backup passphrase, its first line")
    Path backupPassphraseFile;

    @Mixin
    RetentionOptions keep;

    @Option(
            names = "--metrics-port",
            paramLabel = "PORT",
            description = "also serve the Prometheus metrics, without a token, at http://ADDRESS:PORT/metrics "
                    + "(ADDRESS: --metrics-bind). Without it, /metrics on the main port answers admin tokens only")
    Integer metricsPort;

    @Option(
            names = "--metrics-bind",
            defaultValue = "127.0.0.1",
            paramLabel = "ADDRESS",
            description = "the address --metrics-port listens on (default: ${DEFAULT-VALUE})")
    String metricsBind;

    @Option(
            names = "--log-format",
            defaultValue = "text",
            paramLabel = "FORMAT",
            description = "text (default) or json: one JSON object a line with time, level and message, for log "
                    + "collectors")
    ServeLog.Format logFormat;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        BackupSchedule backups = null;
        if (backupTarget != null) {
            char[] pass = backupPassphraseFile != null
                    ? Files.readString(backupPassphraseFile)
                            .lines()
                            .findFirst()
                            .orElse("")
                            .toCharArray()
                    : System.getenv()
                            .getOrDefault("PPAFORGE_BACKUP_PASSPHRASE", "")
                            .toCharArray();
            backups = new BackupSchedule(backupTarget, pass, backupSchedule);
        }
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
        ArchiveSettings settings = dataDir.settings()
                .withUploadLimits(limits)
                .withUnpackLimits(UnpackLimits.DEFAULT.withMaxBytes(UploadLimits.parseSize(maxUnpackedSize)));
        ServeLog log = new ServeLog(out, logFormat);
        Consumer<String> say = log::info;
        if (metricsPort != null && (metricsPort < 0 || metricsPort > 65535)) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "--metrics-port is between 0 and 65535, not " + metricsPort);
        }
        String seed = System.getenv("PPAFORGE_ADMIN_TOKEN");
        portFree(
                bind,
                port); // before the data directory is opened or a first token made: a failed start changes nothing
        try (Forge forge = dataDir.forge(settings, line -> log.warn("ppaforge: " + line));
                Daemon daemon = new Daemon(forge, say)) {
            Ppaforge ppa = forge.archive();
            daemon.trouble(log::warn);
            daemon.prepare(seed);
            daemon.retention(keep.retention());
            if (backups != null) {
                daemon.backups(backups);
                say.accept("backups into " + backups.target() + ", " + backups.schedule());
            }
            PpaServer server = new PpaServer(forge, bind, port, PpaServer.Timeouts.DEFAULT, tls, say);
            forge.farm()
                    .onEvent(e -> say.accept(
                            "build " + e.build().id() + " " + e.build().title() + ": "
                                    + (e.from() == null ? "" : e.from().label() + " -> ") + e.to().label()));
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
            String base = server.scheme() + "://" + urlHost(bind) + ":" + server.port();
            // Before the announcement: a local command started after it finds this server.
            Runnable withdraw = () -> {};
            if (tls == null) {
                try {
                    withdraw = Handoff.advertise(ppa, settings.dataDir(), base);
                } catch (IOException | RuntimeException e) {
                    log.warn("local commands on this data directory will not hand their work to this server: "
                            + e.getMessage());
                }
            }
            say.accept("ppaforge serving " + ppa.publishRoot() + " at " + base + "/");
            say.accept("  web pages at " + base + "/ (sign in with a token at " + base + "/+signin)");
            for (Archive a :
                    ppa.listArchives().call().stream().map(x -> x.archive()).toList()) {
                say.accept("  " + a.name() + ": apt sources with 'ppa sources " + a.name() + " --url " + base
                        + "', key at " + base + "/" + a.name() + "/key.asc, dput incoming " + base + "/upload/"
                        + a.name());
            }
            MetricsServer metricsServer = null;
            if (metricsPort != null) {
                try {
                    metricsServer = new MetricsServer(forge.metrics(), metricsBind, metricsPort).start();
                } catch (RuntimeException e) {
                    throw new IOException(
                            "cannot listen on " + metricsBind + ":" + metricsPort + " for the metrics: "
                                    + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()),
                            e);
                }
                say.accept("  metrics at http://" + urlHost(metricsBind) + ":" + metricsServer.port() + "/metrics");
            }
            daemon.start(base, workers);
            // SIGTERM (systemd, docker stop, kill) and SIGINT (Ctrl-C) are a normal stop: requests in flight end, the
            // store closes, exit status 0. (The JVM's default would skip that and exit 143 or 130.)
            stop.await();
            withdraw.run();
            daemon.close();
            server.close();
            if (metricsServer != null) {
                metricsServer.close();
            }
            say.accept("ppaforge stopped");
            return ExitCodes.OK;
        }
    }

    /** An address as a URL's host: an IPv6 one in brackets. */
    private static String urlHost(String address) {
        return address.contains(":") ? "[" + address + "]" : address;
    }

    /** Says at once, and plainly, when the address cannot be listened on (in use, or not this machine's). */
    static void portFree(String bind, int port) throws IOException {
        if (port == 0) {
            return;
        }
        try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new java.net.InetSocketAddress(bind, port));
        } catch (IOException e) {
            throw new IOException(
                    "cannot listen on " + bind + ":" + port + ": " + e.getMessage()
                            + (e instanceof java.net.BindException
                                            && String.valueOf(e.getMessage()).contains("in use")
                                    ? " (another server? 'ss -ltnp' names it; or choose another with --port)"
                                    : ""),
                    e);
        }
    }
}
