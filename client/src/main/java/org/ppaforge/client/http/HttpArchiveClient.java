package org.ppaforge.client.http;

import static org.ppaforge.client.wire.ApiPaths.V1;
import static org.ppaforge.client.wire.ApiPaths.archive;
import static org.ppaforge.client.wire.ApiPaths.query;
import static org.ppaforge.client.wire.ApiPaths.segment;

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
import org.ppaforge.client.ArchiveClient;
import org.ppaforge.client.wire.ArchiveRequests;
import org.ppaforge.client.wire.Json;
import org.ppaforge.common.ForgeException;

/** The archive client over the server's API, with the transport's token as the caller. */
public final class HttpArchiveClient implements ArchiveClient {
    private final HttpTransport http;

    public HttpArchiveClient(HttpTransport http) {
        this.http = http;
    }

    @Override
    public Archive createArchive(ArchiveRequests.CreateArchive request) {
        return http.post(V1 + "/archives", request, Json.of(Archive.class));
    }

    @Override
    public List<ListArchives.Summary> listArchives() {
        return http.get(V1 + "/archives", Json.listOf(ListArchives.Summary.class));
    }

    @Override
    public ListArchives.Summary showArchive(String name) {
        return http.get(archive(name, ""), Json.of(ListArchives.Summary.class));
    }

    @Override
    public PublishSettings configure(String name, ArchiveRequests.Settings settings) {
        return http.post(archive(name, "/settings"), settings, Json.of(PublishSettings.class));
    }

    @Override
    public Include.Result include(ArchiveRequests.Include r, List<Path> files, Progress progress) throws IOException {
        return IncludeUpload.send(http, r, files);
    }

    @Override
    public List<ListPackages.Entry> list(String name, String series) {
        return http.get(archive(name, "/packages" + query("series", series)), Json.listOf(ListPackages.Entry.class));
    }

    @Override
    public Copy.Result copy(ArchiveRequests.Copy request) {
        return http.post(V1 + "/copy", request, Json.of(Copy.Result.class));
    }

    @Override
    public Sync.Result sync(ArchiveRequests.Sync request, Consumer<List<Sync.Step>> onPlan) {
        Sync.Result r = http.post(V1 + "/sync", request, Json.of(Sync.Result.class));
        onPlan.accept(r.plan());
        return r;
    }

    @Override
    public Skew.Result skew(List<String> archives, String series, boolean dependencies) {
        return http.get(
                V1 + "/skew"
                        + query(
                                "archives",
                                String.join(",", archives),
                                "series",
                                series,
                                "dependencies",
                                dependencies ? "true" : null),
                Json.of(Skew.Result.class));
    }

    @Override
    public Remove.Result remove(String name, ArchiveRequests.Remove request) {
        return http.post(archive(name, "/remove"), request, Json.of(Remove.Result.class));
    }

    @Override
    public List<History.Entry> history(String name, String source) {
        return http.get(archive(name, "/history/" + segment(source)), Json.listOf(History.Entry.class));
    }

    @Override
    public Publisher.Result publish(String name, String series) {
        return http.post(archive(name, "/publish" + query("series", series)), null, Json.of(Publisher.Result.class));
    }

    @Override
    public String aptSources(String name, String url, String series, boolean withSources, String keyFile) {
        return http.get(
                archive(
                        name,
                        "/sources"
                                + query(
                                        "url",
                                        url == null ? http.server() : url,
                                        "series",
                                        series,
                                        "debSrc",
                                        withSources ? null : "false",
                                        "keyFile",
                                        keyFile)),
                Json.of(String.class));
    }

    @Override
    public ArchiveKey generateKey(String name, String type, String userId) {
        return http.post(
                archive(name, "/keys" + query("type", type, "userId", userId)), null, Json.of(ArchiveKey.class));
    }

    @Override
    public ArchiveKey rotateKey(String name, String type, String userId) {
        return http.post(
                archive(name, "/keys/rotate" + query("type", type, "userId", userId)), null, Json.of(ArchiveKey.class));
    }

    @Override
    public ArchiveKey retireKey(String name, String key) {
        return http.post(archive(name, "/keys/" + segment(key) + "/retire"), null, Json.of(ArchiveKey.class));
    }

    @Override
    public ImportRepository.Result importRepository(ArchiveRequests.Import request, Progress progress) {
        throw ForgeException.invalid("ppa import runs on the server's machine only (a server fetches no address a "
                + "client names): run it there, without --server");
    }

    @Override
    public ArchiveKey importKey(String name, byte[] key, String source) {
        throw ForgeException.invalid("a secret key is imported on the server's machine only (it never crosses the "
                + "network): run 'ppa key import' there, without --server");
    }

    @Override
    public String exportKey(String name, String key) {
        return http.get(archive(name, "/keys/export" + query("key", key)), Json.of(String.class));
    }

    @Override
    public List<ArchiveKey> listKeys(String name) {
        return http.get(archive(name, "/keys"), Json.listOf(ArchiveKey.class));
    }

    @Override
    public List<AddUploader.Added> addUploader(String name, byte[] key, String source) {
        String file = source == null ? null : Path.of(source).getFileName().toString();
        return http.postBytes(
                archive(name, "/uploaders" + query("name", file)),
                key,
                "application/pgp-keys",
                Json.listOf(AddUploader.Added.class));
    }

    @Override
    public List<Uploader> listUploaders(String name) {
        return http.get(archive(name, "/uploaders"), Json.listOf(Uploader.class));
    }

    @Override
    public Uploader removeUploader(String name, String key) {
        return http.post(archive(name, "/uploaders/" + segment(key) + "/remove"), null, Json.of(Uploader.class));
    }

    @Override
    public List<UploadRecord> uploads(String name, int limit) {
        return http.get(archive(name, "/uploads?limit=" + limit), Json.listOf(UploadRecord.class));
    }

    @Override
    public CreateToken.Result createToken(ArchiveRequests.CreateToken request) {
        return http.post(V1 + "/tokens", request, Json.of(CreateToken.Result.class));
    }

    @Override
    public List<ApiToken> listTokens() {
        return http.get(V1 + "/tokens", Json.listOf(ApiToken.class));
    }

    @Override
    public void revokeToken(String name) {
        http.post(V1 + "/tokens/" + segment(name) + "/revoke", null, Json.of(Object.class));
    }
}
