package org.ppaforge.client;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.ppaforge.archive.Progress;
import org.ppaforge.archive.model.ApiToken;
import org.ppaforge.archive.model.Archive;
import org.ppaforge.archive.model.ArchiveKey;
import org.ppaforge.archive.model.PublishSettings;
import org.ppaforge.archive.model.UploadRecord;
import org.ppaforge.archive.model.Uploader;
import org.ppaforge.archive.publish.Publisher;
import org.ppaforge.archive.verb.AddUploader;
import org.ppaforge.archive.verb.Copy;
import org.ppaforge.archive.verb.CreateToken;
import org.ppaforge.archive.verb.History;
import org.ppaforge.archive.verb.ImportRepository;
import org.ppaforge.archive.verb.Include;
import org.ppaforge.archive.verb.ListArchives;
import org.ppaforge.archive.verb.ListPackages;
import org.ppaforge.archive.verb.Remove;
import org.ppaforge.archive.verb.Skew;
import org.ppaforge.archive.verb.Sync;
import org.ppaforge.client.wire.ArchiveRequests;

/**
 * The archive core's verbs as a front end calls them: archives, packages, keys, uploaders, uploads and tokens. One
 * implementation calls the verbs in this process ({@code LocalArchiveClient}), the other the server's API
 * ({@code HttpArchiveClient}); both give the same results and the same failures (a {@code ForgeException} of the same
 * kind with the same message).
 */
public interface ArchiveClient {
    Archive createArchive(ArchiveRequests.CreateArchive request);

    List<ListArchives.Summary> listArchives();

    ListArchives.Summary showArchive(String name);

    PublishSettings configure(String archive, ArchiveRequests.Settings settings);

    /**
     * Includes .deb, .dsc and .changes files (a directory stands for its .deb files; a .dsc or .changes brings the files
     * it lists).
     *
     * @param progress where a local include reports its progress (null: nowhere)
     */
    Include.Result include(ArchiveRequests.Include request, List<Path> files, Progress progress) throws IOException;

    List<ListPackages.Entry> list(String archive, String series);

    /** {@code ppa import}: on the server's machine only (the server would fetch what a client names). */
    ImportRepository.Result importRepository(ArchiveRequests.Import request, Progress progress)
            throws IOException, InterruptedException;

    Copy.Result copy(ArchiveRequests.Copy request);

    /** @param onPlan gets the plan as soon as it is made (before it is applied, or refused) */
    Sync.Result sync(ArchiveRequests.Sync request, Consumer<List<Sync.Step>> onPlan);

    default Skew.Result skew(List<String> archives, String series) {
        return skew(archives, series, false);
    }

    /** With {@code dependencies}: also the binaries whose dependencies the set names but cannot satisfy. */
    Skew.Result skew(List<String> archives, String series, boolean dependencies);

    Remove.Result remove(String archive, ArchiveRequests.Remove request);

    List<History.Entry> history(String archive, String source);

    Publisher.Result publish(String archive, String series);

    /** The apt sources lines of an archive at {@code url} (null: the server's own address). */
    /** {@code keyFile}: name this keyring file in Signed-By instead of writing the key inline (null: inline). */
    String aptSources(String archive, String url, String series, boolean withSources, String keyFile);

    ArchiveKey generateKey(String archive, String type, String userId);

    ArchiveKey rotateKey(String archive, String type, String userId);

    ArchiveKey retireKey(String archive, String key);

    /** Imports a secret key (only here: a secret key never crosses the network). */
    ArchiveKey importKey(String archive, byte[] key, String source);

    String exportKey(String archive, String key);

    List<ArchiveKey> listKeys(String archive);

    List<AddUploader.Added> addUploader(String archive, byte[] key, String source);

    List<Uploader> listUploaders(String archive);

    Uploader removeUploader(String archive, String key);

    List<UploadRecord> uploads(String archive, int limit);

    CreateToken.Result createToken(ArchiveRequests.CreateToken request);

    List<ApiToken> listTokens();

    void revokeToken(String name);
}
