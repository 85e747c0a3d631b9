package org.ppaforge.pipeline.step;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Locale;
import org.eclipse.jgit.revwalk.RevCommit;
import org.ppaforge.debian.checksum.ListedFile;
import org.ppaforge.debian.dsc.Dsc;
import org.ppaforge.pipeline.git.GitMirror;
import org.ppaforge.pipeline.source.SourcePackageMaker;
import org.ppaforge.pipeline.version.VersionTemplate;

/** The source package: orig tarball from the commit, packaging from the tree or a branch, the daily version. */
final class SourceStep implements PipelineStep {
    @Override
    public String name() {
        return "source";
    }

    @Override
    public Scope scope() {
        return Scope.PER_SERIES;
    }

    @Override
    public String run(RunContext c, Cell cell) throws IOException, InterruptedException, StepFailed {
        GitMirror.Fetched pack = null;
        SourcePackageMaker.Result made;
        try {
            RevCommit packaging = null;
            if (c.definition.source().packagingBranch() != null) {
                pack = new GitMirror(c.pipelines.directory().resolve("git"))
                        .fetch(c.pipeline.gitUrl(), c.definition.source().packagingBranch());
                packaging = pack.commit();
            }
            made = new SourcePackageMaker(c.git.repository())
                    .commit(c.git.commit())
                    .packaging(packaging)
                    .template(VersionTemplate.forSeries(c.definition.version(), c.series.size()))
                    .distribution(cell.series())
                    .now(c.now)
                    .reason("ppaforge pipeline " + c.pipeline.name() + ", run " + c.run.id())
                    .make(c.dir.resolve("source").resolve(cell.series()));
        } finally {
            if (pack != null) {
                pack.close();
            }
        }
        checkOrder(c, cell.series(), made);
        c.sources.put(cell.series(), made);
        if (cell.series().equals(c.series.get(0))) {
            c.pipelines.store().setCommit(c.run.id(), null, made.version().toString());
        }
        c.log(cell.label(), made(made) + "\n");
        return made.source() + " " + made.version();
    }

    /**
     * A series' version must sort above the older series' (those made before it in this run): a user upgrading from one
     * release to the next then gets the newer release's package.
     */
    private static void checkOrder(RunContext c, String series, SourcePackageMaker.Result made) throws StepFailed {
        for (String older : c.series.subList(0, c.series.indexOf(series))) {
            SourcePackageMaker.Result o = c.sources.get(older);
            if (o != null && o.version().compareTo(made.version()) >= 0) {
                throw new StepFailed("source: the version for " + series + " (" + made.version()
                        + ") does not sort above the one for " + older + " (" + o.version()
                        + "): an upgrade from " + older + " to " + series + " would keep the old package; "
                        + "put {series-suffix} or {series-number} at the end of the version template");
            }
        }
    }

    /** What the step made, for its log: the version and each file with its size. */
    static String made(SourcePackageMaker.Result made) throws IOException {
        StringBuilder out = new StringBuilder("made " + made.source() + " " + made.version() + " ("
                + made.dsc().getFileName() + ", " + Files.size(made.dsc()) + " bytes)");
        Dsc dsc = Dsc.parse(
                Files.readString(made.dsc(), StandardCharsets.UTF_8),
                made.dsc().getFileName().toString());
        for (ListedFile f : dsc.files()) {
            out.append("\n  ").append(f.name()).append(": ").append(String.format(Locale.ROOT, "%,d bytes", f.size()));
        }
        return out.toString();
    }
}
