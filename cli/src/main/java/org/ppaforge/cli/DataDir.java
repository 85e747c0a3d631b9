package org.ppaforge.cli;

import java.nio.file.Path;
import java.util.function.Consumer;
import org.ppaforge.archive.ArchiveException;
import org.ppaforge.archive.ArchiveSettings;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.client.Clients;
import org.ppaforge.client.http.HttpTransport;
import org.ppaforge.client.local.LocalClients;
import org.ppaforge.forge.Forge;
import org.ppaforge.forge.ForgeConfig;
import picocli.CommandLine.Option;

/** The {@code --data-dir} option every archive command takes, and where it defaults to. */
final class DataDir {
    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            description = "where archives live (ppaforge.db and pool/); default: $PPAFORGE_HOME, else "
                    + "$XDG_DATA_HOME/ppaforge, else ~/.local/share/ppaforge")
    Path dataDir;

    @Option(
            names = "--publish-dir",
            paramLabel = "DIR",
            description =
                    "where archives are published as apt trees (DIR/<archive>/dists, DIR/<archive>/pool); default: "
                            + "$PPAFORGE_PUBLISH_DIR, else <data-dir>/public")
    Path publishDir;

    @Option(
            names = "--database",
            paramLabel = "URI",
            description = "keep every table in this PostgreSQL database, shared by several servers, instead of the "
                    + "SQLite files in the data directory: postgresql://user[:password]@host[:port]/db (the password may "
                    + "also come from $PGPASSWORD); default: $PPAFORGE_DATABASE, else 'database' in the config file, else "
                    + "the embedded SQLite files. The data directory still holds the pool, signing keys and caches.")
    String database;

    @Option(
            names = "--blobs",
            paramLabel = "URI",
            description = "keep file contents (the pool: packages, sources, chroot tarballs) in S3-compatible storage "
                    + "shared by several servers, s3://bucket/prefix, instead of <data-dir>/pool; the endpoint, region "
                    + "and credentials come from $AWS_ENDPOINT_URL, $AWS_REGION, $AWS_ACCESS_KEY_ID and "
                    + "$AWS_SECRET_ACCESS_KEY (AWS, MinIO, Ceph RGW, Swift's S3 API, s3proxy); default: $PPAFORGE_BLOBS, "
                    + "else 'blobs' in the config file, else the data directory's pool")
    String blobs;

    @Option(
            names = "--server",
            paramLabel = "URL",
            description =
                    "run against a ppaforge server instead of the local data directory (default: $PPAFORGE_SERVER, "
                            + "else 'server' in the config file); the token comes from $PPAFORGE_TOKEN, else 'token' in the config file "
                            + "($XDG_CONFIG_HOME/ppaforge/config or ~/.config/ppaforge/config, lines 'key = value'); an https server's "
                            + "certificate is checked against Java's CAs, or against $PPAFORGE_CA_CERT ('ca' in the config file), a PEM file. "
                            + "Every command with this option runs against a server, except those whose description says "
                            + "they work on the local data directory only.")
    String server;

    /** The server URL to talk to, or null for local work. */
    String server() {
        String s = server != null ? server : System.getenv("PPAFORGE_SERVER");
        if (s == null || s.isBlank()) {
            s = Config.get("server");
        }
        return s == null || s.isBlank() ? null : s.replaceAll("/+$", "");
    }

    /**
     * The clients a command talks to: over the server's API with {@code --server} (the token from $PPAFORGE_TOKEN or
     * the config file), else in this process on the data directory.
     */
    Clients clients() {
        if (server() != null) {
            return Clients.http(transport());
        }
        return localClients();
    }

    /**
     * The clients of the {@code ppa serve} that holds the data directory, for a small piece of local work done there
     * without this process's cold start ({@link Handoff}); null when there is none to hand to (or with
     * {@code --server}, {@code --publish-dir}, {@code $PPAFORGE_PUBLISH_DIR}, {@code PPAFORGE_HANDOFF=0}).
     */
    Clients handoff() {
        if (server() != null
                || publishDir != null
                || System.getenv("PPAFORGE_PUBLISH_DIR") != null
                || "0".equals(System.getenv("PPAFORGE_HANDOFF"))) {
            return null;
        }
        Handoff.Server running = Handoff.find(resolve());
        return running == null
                ? null
                : Clients.http(new HttpTransport(running.url(), running.token(), null, timings()));
    }

    /**
     * Clients in this process only, even when a server holds the data directory ({@link Handoff}): a command that
     * cannot work against a server refuses {@code --server} first.
     */
    Clients localClients() {
        refuseRemote();
        Forge forge = forge();
        return new LocalClients(forge::archive, forge::farm, forge::pipelines, forge::qa, forge::close);
    }

    /** The server's transport, with the token from $PPAFORGE_TOKEN or the config file. */
    HttpTransport transport() {
        String token = System.getenv("PPAFORGE_TOKEN");
        return new HttpTransport(
                server(), token == null || token.isBlank() ? Config.get("token") : token, caCert(), timings());
    }

    private static Consumer<String> timings() {
        return System.getenv("PPAFORGE_TIMINGS") == null ? null : line -> System.err.println("client timings: " + line);
    }

    /** The certificate(s) to trust for an https server instead of Java's CAs: $PPAFORGE_CA_CERT, else 'ca' in the config file. */
    static Path caCert() {
        String ca = System.getenv("PPAFORGE_CA_CERT");
        if (ca == null || ca.isBlank()) {
            ca = Config.get("ca");
        }
        return ca == null || ca.isBlank() ? null : Path.of(ca);
    }

    Path resolve() {
        if (dataDir != null) {
            return dataDir;
        }
        String home = System.getenv("PPAFORGE_HOME");
        if (home != null && !home.isBlank()) {
            return Path.of(home);
        }
        String xdg = System.getenv("XDG_DATA_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "ppaforge");
        }
        return Config.home().resolve(".local/share/ppaforge");
    }

    /** Every module, opened once (the composition root), for commands that need more than the archive core. */
    Forge forge() {
        return forge(settings(), problem -> System.err.println("ppa: " + problem));
    }

    /** Every module, with these settings; background trouble goes to {@code problems}. */
    Forge forge(ArchiveSettings settings, Consumer<String> problems) {
        refuseRemote();
        Forge forge = Forge.open(
                ForgeConfig.of(settings.dataDir()).withArchive(settings).withProblems(problems));
        recover(forge.archive());
        return forge;
    }

    /** The archive core's settings from the options and the environment. */
    ArchiveSettings settings() {
        ArchiveSettings settings = ArchiveSettings.of(resolve()).withDiagnostics(EnvDiagnostics.fromEnvironment());
        String env = System.getenv("PPAFORGE_PUBLISH_DIR");
        if (publishDir != null) {
            settings = settings.withPublishRoot(publishDir);
        } else if (env != null && !env.isBlank()) {
            settings = settings.withPublishRoot(Path.of(env));
        }
        String pass = System.getenv("PPAFORGE_KEY_PASSPHRASE");
        if (pass != null && !pass.isEmpty()) {
            settings = settings.withKeyPassphrase(pass.toCharArray());
        }
        if ("0".equals(System.getenv("PPAFORGE_POOL_LINKS"))) {
            settings = settings.withPoolLinks(false);
        }
        return settings.withDatabase(database()).withBlobs(blobs());
    }

    /** The bucket from --blobs, $PPAFORGE_BLOBS or the config file; null for the data directory's pool. */
    String blobs() {
        String b = blobs != null ? blobs : System.getenv("PPAFORGE_BLOBS");
        if (b == null || b.isBlank()) {
            b = Config.get("blobs");
        }
        return b == null || b.isBlank() ? null : b.strip();
    }

    /** The shared database's URI from --database, $PPAFORGE_DATABASE or the config file; null for the embedded files. */
    String database() {
        String d = database != null ? database : System.getenv("PPAFORGE_DATABASE");
        if (d == null || d.isBlank()) {
            d = Config.get("database");
        }
        return d == null || d.isBlank() ? null : d.strip();
    }

    private void refuseRemote() {
        if (server() != null) {
            throw new IllegalArgumentException("--server is supported by " + RemoteCommands.list()
                    + "; this command works on the local data directory (leave out --server, or run it on the server's "
                    + "machine)");
        }
    }

    /** A command killed between its commit and its publish left a tree older than the store: publish it now. */
    private static void recover(Ppaforge ppa) {
        try {
            for (String archive : ppa.recover().call().republished()) {
                System.err.println("ppa: published " + archive
                        + ": its last change had not been published (a command was stopped)");
            }
        } catch (ArchiveException e) {
            System.err.println("ppa: warning: could not publish an archive left unpublished: " + e.getMessage());
        }
    }
}
