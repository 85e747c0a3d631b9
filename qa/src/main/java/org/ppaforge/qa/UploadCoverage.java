package org.ppaforge.qa;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ppaforge.common.ForgeException;
import org.ppaforge.qa.coverage.CoverageFormatException;
import org.ppaforge.qa.coverage.CoverageReaders;
import org.ppaforge.qa.coverage.CoverageReport;

/**
 * Ingests coverage files (JaCoCo XML, Cobertura XML, lcov; the format told from the content) for a project's commit. All
 * files are read before anything is stored: one malformed or unknown file refuses the upload, naming it and why. Several
 * files of one commit are merged; uploading a commit again replaces its report.
 */
public final class UploadCoverage {
    /** The largest coverage file read. */
    public static final long MAX_FILE = 512L << 20;

    private final Qa qa;
    private String project;
    private String commit;
    private String branch;
    private final List<Path> files = new ArrayList<>();

    UploadCoverage(Qa qa) {
        this.qa = qa;
    }

    public UploadCoverage project(String project) {
        this.project = project;
        return this;
    }

    public UploadCoverage commit(String commit) {
        this.commit = commit;
        return this;
    }

    public UploadCoverage branch(String branch) {
        this.branch = branch;
        return this;
    }

    /** The files; each is shown in messages by {@code names} (the same size), e.g. the name the client sent. */
    public UploadCoverage files(List<Path> files) {
        this.files.addAll(files);
        return this;
    }

    private List<String> names;
    private String archive;
    private String caller;
    private boolean remote;

    /**
     * The archive the project belongs to: needed for a new project, unless the caller's token is limited to one archive
     * (then that one); for an existing project it must be the project's.
     */
    public UploadCoverage archive(String archive) {
        this.archive = archive;
        return this;
    }

    /**
     * The caller over the API (its token): it must be allowed to write the project's archive. Without it the upload is
     * the process's own (a local command, a pipeline's check step), trusted as any local command is.
     */
    public UploadCoverage caller(String tokenSecret) {
        this.caller = tokenSecret;
        this.remote = true;
        return this;
    }

    public UploadCoverage names(List<String> names) {
        this.names = List.copyOf(names);
        return this;
    }

    /** The archive the project belongs to, checked against the caller: who may write it, and only they, store reports. */
    private String owner() {
        var recorded = qa.store().projectArchive(project);
        String owner = recorded.orElse(archive);
        if (owner == null && remote) {
            owner = qa.archive()
                    .authenticate()
                    .token(caller)
                    .call()
                    .archive(); // a token limited to one archive names it
        }
        if (owner == null) {
            throw ForgeException.invalid(
                    "coverage project '" + project + "' is new: name the archive it belongs to (--archive, "
                            + "or archive= over the API); only those who may write that archive will store its reports");
        }
        if (archive != null && !archive.equals(owner)) {
            throw ForgeException.refused(
                    "coverage project '" + project + "' belongs to archive '" + owner + "', not '" + archive + "'");
        }
        if (remote) {
            qa.archive().authenticate().token(caller).toWrite(owner).call(); // before saying whether the archive exists
        }
        String o = owner;
        if (qa.archive().metadata().read(tx -> tx.archive(o)).isEmpty()) {
            throw ForgeException.notFound("there is no archive '" + owner + "' for coverage project '" + project + "'");
        }
        return owner;
    }

    public CoverageSummary call() {
        Qa.project(project);
        String c = Qa.commit(commit);
        Qa.branch(branch);
        if (files.isEmpty()) {
            throw ForgeException.invalid("no coverage files given");
        }
        String owner = owner(); // who may store this project's reports, decided before any file is read
        List<CoverageReport> reports = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            Path f = files.get(i);
            String name = names != null && i < names.size() ? names.get(i) : f.toString();
            try {
                if (!Files.isRegularFile(f)) {
                    throw ForgeException.invalid(name + ": no such file");
                }
                if (Files.size(f) > MAX_FILE) {
                    throw new ForgeException(
                            ForgeException.Kind.TOO_LARGE, name + ": larger than " + (MAX_FILE >> 20) + " MiB");
                }
                try (InputStream in = Files.newInputStream(f)) {
                    reports.add(CoverageReaders.read(in, name));
                }
            } catch (CoverageFormatException e) {
                throw ForgeException.invalid(e.getMessage() + "; nothing was stored");
            } catch (IOException e) {
                throw ForgeException.invalid(name + ": cannot be read: " + e.getMessage() + "; nothing was stored");
            }
        }
        CoverageReport merged = reports.size() == 1 ? reports.get(0) : CoverageReport.merge(reports);
        qa.store().claimProject(project, owner, qa.now());
        qa.store().putCoverage(project, c, branch, merged, qa.now());
        return qa.store().summary(project, c).orElseThrow();
    }
}
