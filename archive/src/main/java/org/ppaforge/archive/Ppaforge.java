package org.ppaforge.archive;

import java.nio.file.Path;
import org.ppaforge.archive.blob.FileBlobStore;
import org.ppaforge.archive.store.BlobStore;
import org.ppaforge.archive.store.MetadataStore;
import org.ppaforge.archive.store.sqlite.SqliteMetadataStore;
import org.ppaforge.archive.verb.Copy;
import org.ppaforge.archive.verb.CreateArchive;
import org.ppaforge.archive.verb.History;
import org.ppaforge.archive.verb.Include;
import org.ppaforge.archive.verb.ListArchives;
import org.ppaforge.archive.verb.ListPackages;
import org.ppaforge.archive.verb.Remove;
import org.ppaforge.archive.verb.Skew;
import org.ppaforge.archive.verb.Sync;

/**
 * The entry point to an archive installation, as JGit's {@code Git} is to a repository:
 * it holds the stores and hands out one command object per verb. Front ends (CLI, HTTP,
 * pipelines) configure a verb, call it, and render its result; the rules live in the verbs.
 */
public final class Ppaforge implements AutoCloseable {
    private final MetadataStore metadata;
    private final BlobStore blobs;
    private final String user;

    public Ppaforge(MetadataStore metadata, BlobStore blobs, String user) {
        this.metadata = metadata;
        this.blobs = blobs;
        this.user = user;
    }

    /** The embedded default under {@code dataDir}: {@code ppaforge.db} and {@code pool/}. */
    public static Ppaforge open(Path dataDir) {
        return new Ppaforge(new SqliteMetadataStore(dataDir.resolve("ppaforge.db")), new FileBlobStore(dataDir.resolve("pool")),
                System.getProperty("user.name", "unknown"));
    }

    public MetadataStore metadata() {
        return metadata;
    }

    public BlobStore blobs() {
        return blobs;
    }

    /** Who the verbs record as acting (deletions, publications). */
    public String user() {
        return user;
    }

    public CreateArchive createArchive() {
        return new CreateArchive(this);
    }

    public ListArchives listArchives() {
        return new ListArchives(this);
    }

    public Include include() {
        return new Include(this);
    }

    public ListPackages list() {
        return new ListPackages(this);
    }

    public Copy copy() {
        return new Copy(this);
    }

    public Skew skew() {
        return new Skew(this);
    }

    public Sync sync() {
        return new Sync(this);
    }

    public Remove remove() {
        return new Remove(this);
    }

    public History history() {
        return new History(this);
    }

    @Override
    public void close() {
        metadata.close();
    }
}
