package org.ppaforge.backup;

import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.FromStringDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.ppaforge.common.ForgeException;

/**
 * The backups of one target: the entry point of the backup verbs ({@link CreateBackup}, {@link VerifyBackup},
 * {@link RestoreBackup}, {@link PruneBackups}, {@link CopyBackups}) and the list. The target is opened with its
 * passphrase; {@link #create} makes a new target's keys the first time.
 */
public final class Backups {
    /** Snapshots as JSON, instants as ISO-8601 text. */
    static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new SimpleModule()
                    .addSerializer(Instant.class, ToStringSerializer.instance)
                    .addDeserializer(Instant.class, new FromStringDeserializer<>(Instant.class) {
                        @Override
                        protected Instant _deserialize(String value, DeserializationContext ctxt) {
                            return Instant.parse(value);
                        }
                    }));

    final Target target;
    final char[] passphrase;
    private Keys keys;

    Backups(Target target, char[] passphrase) {
        this.target = target;
        this.passphrase = passphrase.clone();
    }

    /** The target in a directory (made when the first backup is). */
    public static Backups at(Path directory, char[] passphrase) {
        return new Backups(new DirectoryTarget(directory), passphrase);
    }

    /** The target's keys; a target without a config gets new ones when {@code make} is true. */
    Keys keys(boolean make) throws IOException {
        if (keys == null) {
            keys = make && !target.exists(Keys.CONFIG)
                    ? Keys.create(target, passphrase)
                    : Keys.open(target, passphrase);
        }
        return keys;
    }

    public CreateBackup create() {
        return new CreateBackup(this);
    }

    public VerifyBackup verify() {
        return new VerifyBackup(this);
    }

    public RestoreBackup restore() {
        return new RestoreBackup(this);
    }

    public PruneBackups prune() {
        return new PruneBackups(this);
    }

    /** Copies this target's backups to another target (same passphrase), sending only what it lacks. */
    public CopyBackups copyTo(Path directory) {
        return new CopyBackups(this, new DirectoryTarget(directory));
    }

    /** Every complete backup, oldest first. */
    public List<Snapshot> list() throws IOException {
        Keys k = keys(false);
        List<Snapshot> out = new ArrayList<>();
        for (String id : target.list("snapshots/")) {
            out.add(snapshot(k, id));
        }
        out.sort(Comparator.comparing(Snapshot::time).thenComparing(Snapshot::id));
        return out;
    }

    /**
     * When the newest complete backup was made, read from the snapshots' names: none is opened (a schedule asks every
     * minute, and a snapshot of a large data directory is megabytes).
     */
    public Optional<Instant> newest() throws IOException {
        return target.list("snapshots/").stream()
                .filter(id -> id.matches(Snapshot.ID_PATTERN))
                .max(Comparator.naturalOrder())
                .map(Snapshot::timeOf);
    }

    /** Throws as {@link #list} would on a wrong passphrase; a target without backups yet is fine. */
    public void checkPassphrase() throws IOException {
        if (target.exists(Keys.CONFIG)) {
            keys(false);
        }
    }

    /** One backup by id (or the newest, for null). */
    public Snapshot get(String id) throws IOException {
        if (id == null) {
            // The newest by its id (time first): only that snapshot is opened.
            id = target.list("snapshots/").stream()
                    .filter(x -> x.matches(Snapshot.ID_PATTERN))
                    .max(Comparator.naturalOrder())
                    .orElseThrow(() -> ForgeException.notFound("the target holds no complete backup yet"));
        }
        if (!id.matches(Snapshot.ID_PATTERN) || !target.exists("snapshots/" + id)) {
            throw ForgeException.notFound("no backup " + id + " in the target ('ppa backup list' shows them)");
        }
        return snapshot(keys(false), id);
    }

    Snapshot snapshot(Keys k, String id) throws IOException {
        byte[] plain = k.sealing().open(target.read("snapshots/" + id), "snapshot");
        return JSON.readValue(Zlib.plain(plain), Snapshot.class);
    }
}
