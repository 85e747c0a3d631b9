package org.ppaforge.client.local;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.ppaforge.archive.Caller;
import org.ppaforge.archive.Ppaforge;
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

/** The archive client in this process: each method configures one verb and calls it, as its caller. */
public final class LocalArchiveClient implements ArchiveClient {
    private final Ppaforge ppa;
    private final Caller caller;

    /** @param caller who calls: the verbs decide what it may see and do */
    public LocalArchiveClient(Ppaforge ppa, Caller caller) {
        this.ppa = ppa;
        this.caller = caller;
    }

    @Override
    public Archive createArchive(ArchiveRequests.CreateArchive r) {
        var create = ppa.createArchive()
                .caller(caller)
                .name(r.name())
                .description(r.description())
                .series(r.series() == null ? List.of() : r.series())
                .architectures(r.architectures() == null ? List.of() : r.architectures());
        if (r.components() != null) {
            create.components(r.components());
        }
        if (r.key() != null) { // absent: the default key; "none": no key yet
            create.key("none".equals(r.key()) ? null : r.key());
        }
        return create.call();
    }

    @Override
    public List<ListArchives.Summary> listArchives() {
        return ppa.listArchives().caller(caller).call();
    }

    @Override
    public ListArchives.Summary showArchive(String name) {
        return ppa.listArchives().caller(caller).name(name).call().get(0); // a missing archive is an error of the verb
    }

    @Override
    public PublishSettings configure(String archive, ArchiveRequests.Settings s) {
        return ppa.configureArchive()
                .caller(caller)
                .archive(archive)
                .origin(s.origin())
                .label(s.label())
                .notAutomatic(s.notAutomatic())
                .butAutomaticUpgrades(s.butAutomaticUpgrades())
                .validFor(s.validFor())
                .keepSuperseded(s.keepSuperseded())
                .privateArchive(s.privateArchive())
                .call();
    }

    @Override
    public Include.Result include(ArchiveRequests.Include r, List<Path> files, Progress progress) throws IOException {
        return ppa.include()
                .caller(caller)
                .archive(r.archive())
                .series(r.series())
                .component(r.component())
                .files(files)
                .allowDowngrade(r.allowDowngrade())
                .skipRefused(r.skipRefused())
                .progress(progress == null ? Progress.NONE : progress)
                .call();
    }

    @Override
    public List<ListPackages.Entry> list(String archive, String series) {
        return ppa.list().caller(caller).archive(archive).series(series).call();
    }

    @Override
    public Copy.Result copy(ArchiveRequests.Copy r) {
        return ppa.copy()
                .caller(caller)
                .sources(r.sources())
                .from(r.from())
                .to(r.to())
                .series(r.series())
                .toSeries(r.toSeries())
                .withBinaries(r.withBinaries())
                .withDependencies(r.withDependencies())
                .withBuildDependencies(r.withBuildDependencies())
                .satisfiedBy(r.satisfiedBy() == null ? List.of() : r.satisfiedBy())
                .dryRun(r.dryRun())
                .call();
    }

    @Override
    public Sync.Result sync(ArchiveRequests.Sync r, Consumer<List<Sync.Step>> onPlan) {
        return ppa.sync()
                .caller(caller)
                .from(r.from())
                .to(r.to())
                .series(r.series())
                .dryRun(r.dryRun())
                .allowDowngrade(r.allowDowngrade())
                .withDependencies(r.withDependencies())
                .satisfiedBy(r.satisfiedBy())
                .onPlan(onPlan::accept)
                .call();
    }

    @Override
    public Skew.Result skew(List<String> archives, String series, boolean dependencies) {
        return ppa.skew()
                .caller(caller)
                .archives(archives)
                .series(series)
                .dependencies(dependencies)
                .call();
    }

    @Override
    public Remove.Result remove(String archive, ArchiveRequests.Remove r) {
        return ppa.remove()
                .caller(caller)
                .archive(archive)
                .source(r.source())
                .series(r.series())
                .reason(r.reason())
                .call();
    }

    @Override
    public List<History.Entry> history(String archive, String source) {
        return ppa.history().caller(caller).archive(archive).source(source).call();
    }

    @Override
    public Publisher.Result publish(String archive, String series) {
        return ppa.publish().caller(caller).archive(archive).series(series).call();
    }

    @Override
    public String aptSources(String archive, String url, String series, boolean withSources, String keyFile) {
        return ppa.aptSources()
                .caller(caller)
                .archive(archive)
                .url(url)
                .series(series)
                .withSources(withSources)
                .keyFile(keyFile)
                .call();
    }

    @Override
    public ArchiveKey generateKey(String archive, String type, String userId) {
        return ppa.generateKey()
                .caller(caller)
                .archive(archive)
                .type(type)
                .userId(userId)
                .call();
    }

    @Override
    public ArchiveKey rotateKey(String archive, String type, String userId) {
        return ppa.rotateKey()
                .caller(caller)
                .archive(archive)
                .type(type)
                .userId(userId)
                .call();
    }

    @Override
    public ArchiveKey retireKey(String archive, String key) {
        return ppa.retireKey().caller(caller).archive(archive).key(key).call();
    }

    @Override
    public ImportRepository.Result importRepository(ArchiveRequests.Import r, Progress progress)
            throws IOException, InterruptedException {
        return ppa.importRepository()
                .caller(caller)
                .from(r.from())
                .key(r.key())
                .ignoreSignature(r.ignoreSignature())
                .into(r.into())
                .series(r.series())
                .packages(r.packages())
                .withSources(r.withSources())
                .update(r.update())
                .removeMissing(r.removeMissing())
                .dryRun(r.dryRun())
                .progress(progress)
                .call();
    }

    @Override
    public ArchiveKey importKey(String archive, byte[] key, String source) {
        return ppa.importKey().caller(caller).archive(archive).key(key, source).call();
    }

    @Override
    public String exportKey(String archive, String key) {
        return ppa.exportKey().caller(caller).archive(archive).key(key).call();
    }

    @Override
    public List<ArchiveKey> listKeys(String archive) {
        return ppa.listKeys().caller(caller).archive(archive).call();
    }

    @Override
    public List<AddUploader.Added> addUploader(String archive, byte[] key, String source) {
        return ppa.addUploader()
                .caller(caller)
                .archive(archive)
                .key(key, source)
                .call();
    }

    @Override
    public List<Uploader> listUploaders(String archive) {
        return ppa.listUploaders().caller(caller).archive(archive).call();
    }

    @Override
    public Uploader removeUploader(String archive, String key) {
        return ppa.removeUploader().caller(caller).archive(archive).key(key).call();
    }

    @Override
    public List<UploadRecord> uploads(String archive, int limit) {
        return ppa.listUploads().caller(caller).archive(archive).limit(limit).call();
    }

    @Override
    public CreateToken.Result createToken(ArchiveRequests.CreateToken r) {
        return ppa.createToken()
                .caller(caller)
                .name(r.name())
                .role(r.role())
                .archive(r.archive())
                .call();
    }

    @Override
    public List<ApiToken> listTokens() {
        return ppa.listTokens().caller(caller).call();
    }

    @Override
    public void revokeToken(String name) {
        ppa.revokeToken().caller(caller).name(name).call();
    }
}
