package org.ppaforge.pipeline.source;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipParameters;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.ppaforge.debian.FormatException;
import org.ppaforge.debian.Version;
import org.ppaforge.debian.changelog.Changelog;
import org.ppaforge.pipeline.definition.PipelineDefinition;
import org.ppaforge.pipeline.tree.ConfinedTree;
import org.ppaforge.pipeline.version.RecipeVariables;
import org.ppaforge.pipeline.version.VersionTemplate;

/**
 * The source step: from one commit, a Debian source package with a daily version. The orig tarball is the commit's
 * tree (without {@code debian/}) written with JGit and Commons Compress, reproducibly (sorted, owner 0, the commit's
 * time, gzip without name or time); the packaging is the commit's own {@code debian/} or another commit's (a packaging
 * branch); a changelog entry for the new version is put first; {@code dpkg-source -b} makes the .dsc.
 */
public final class SourcePackageMaker {
    private final Repository repo;
    private RevCommit commit;
    private RevCommit packaging;
    private String template = PipelineDefinition.DEFAULT_VERSION;
    private String distribution;
    private String reason = "";
    private Instant now = Instant.now();

    public SourcePackageMaker(Repository repo) {
        this.repo = repo;
    }

    public SourcePackageMaker commit(RevCommit commit) {
        this.commit = commit;
        return this;
    }

    /** Where debian/ comes from (default: the commit itself). */
    public SourcePackageMaker packaging(RevCommit packaging) {
        this.packaging = packaging;
        return this;
    }

    public SourcePackageMaker template(String template) {
        this.template = template;
        return this;
    }

    public SourcePackageMaker distribution(String distribution) {
        this.distribution = distribution;
        return this;
    }

    /** A line for the changelog entry (e.g. which pipeline run). */
    public SourcePackageMaker reason(String reason) {
        this.reason = reason;
        return this;
    }

    public SourcePackageMaker now(Instant now) {
        this.now = now;
        return this;
    }

    /** What was made: the .dsc (its files beside it) and its source name and version. */
    public record Result(Path dsc, Path tree, String source, Version version, Map<String, String> variables) {}

    public Result make(Path workDir) throws IOException, InterruptedException {
        RevCommit pack = packaging != null ? packaging : commit;
        Map<String, String> vars = RecipeVariables.of(repo, commit, pack, "debian/changelog", now);
        if (distribution != null) {
            vars.putAll(RecipeVariables.series(distribution));
        }
        Version version = VersionTemplate.expand(template, vars);
        String changelog = RecipeVariables.read(repo, pack, "debian/changelog");
        Changelog.Entry latest = Changelog.latest(changelog, "debian/changelog");
        String format = RecipeVariables.read(repo, pack, "debian/source/format");
        boolean nativeFormat = format != null && format.strip().equals("3.0 (native)");
        if (nativeFormat == !version.revision().isEmpty()) {
            throw new FormatException(
                    "the version template '" + template + "' gives " + version
                            + (nativeFormat
                                    ? ", with a Debian revision, but the package is 3.0 (native): use a template without '-'"
                                    : " without a Debian revision, but the package is not native: end the template with a revision, e.g. -0ppa1"));
        }
        String source = latest.source();
        String upstream = version.upstream();
        Files.createDirectories(workDir);
        Path tree = workDir.resolve(source + "-" + upstream);
        long mtime = commit.getCommitTime();
        if (!nativeFormat) {
            try (OutputStream out = Files.newOutputStream(workDir.resolve(source + "_" + upstream + ".orig.tar.gz"))) {
                writeTarball(commit, source + "-" + upstream, mtime, out);
            }
        }
        ConfinedTree confined = new ConfinedTree(Files.createDirectories(tree));
        checkout(commit, confined, packaging == null ? null : "debian/");
        if (packaging != null) {
            if (!confined.missing("debian")) {
                throw new ConfinedTree.Refused(
                        "commit " + commit.abbreviate(7).name() + " has a 'debian' that is not a directory "
                                + "of its own, and the packaging comes from another commit: remove it from the commit");
            }
            checkoutDirectory(pack, "debian/", confined);
        }
        String entry = Changelog.entry(
                source,
                version,
                distribution != null ? distribution : latest.distributions().get(0),
                "medium",
                List.of("Automated build of " + commit.abbreviate(12).name()
                        + (reason.isEmpty() ? "" : " (" + reason + ")") + "."),
                latest.maintainer(),
                now.atZone(ZoneOffset.UTC));
        confined.write("debian/changelog", (entry + changelog).getBytes(StandardCharsets.UTF_8), false);
        ProcessBuilder pb = new ProcessBuilder(
                        "dpkg-source", "-b", tree.getFileName().toString())
                .directory(workDir.toFile())
                .redirectErrorStream(true);
        pb.environment().put("LC_ALL", "C.UTF-8");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new FormatException("dpkg-source -b failed:\n" + out.strip());
        }
        String noEpoch = version.toString().substring(version.toString().indexOf(':') + 1);
        Path dsc = workDir.resolve(source + "_" + noEpoch + ".dsc");
        if (!Files.isRegularFile(dsc)) {
            throw new FormatException("dpkg-source -b made no " + dsc.getFileName() + ":\n" + out.strip());
        }
        return new Result(dsc, tree, source, version, vars);
    }

    /** The commit's tree (without debian/) as a tar.gz under {@code prefix/}, the same bytes for the same commit. */
    void writeTarball(RevCommit c, String prefix, long mtime, OutputStream raw) throws IOException {
        GzipParameters gz = new GzipParameters();
        gz.setModificationTime(0);
        gz.setCompressionLevel(9);
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(raw, gz))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            List<String> dirs = new ArrayList<>();
            try (TreeWalk tw = new TreeWalk(repo)) {
                tw.addTree(c.getTree());
                tw.setRecursive(false);
                TarArchiveEntry top = new TarArchiveEntry(prefix + "/");
                stamp(top, mtime, 0755);
                tar.putArchiveEntry(top);
                tar.closeArchiveEntry();
                while (tw.next()) {
                    String path = tw.getPathString();
                    if (path.length() > ConfinedTree.MAX_PATH) {
                        throw new ConfinedTree.Refused(
                                "commit " + c.abbreviate(7).name() + " has a path of " + path.length()
                                        + " bytes (at most " + ConfinedTree.MAX_PATH + ", PATH_MAX)");
                    }
                    if (path.equals("debian") || path.startsWith("debian/")) {
                        continue;
                    }
                    FileMode mode = tw.getFileMode(0);
                    if (mode == FileMode.TREE) {
                        TarArchiveEntry d = new TarArchiveEntry(prefix + "/" + path + "/");
                        stamp(d, mtime, 0755);
                        tar.putArchiveEntry(d);
                        tar.closeArchiveEntry();
                        dirs.add(path);
                        tw.enterSubtree();
                        continue;
                    }
                    if (mode == FileMode.GITLINK) {
                        continue; // submodules are not part of the commit's content
                    }
                    byte[] data = repo.open(tw.getObjectId(0)).getBytes();
                    if (mode == FileMode.SYMLINK) {
                        String target = new String(data, StandardCharsets.UTF_8);
                        ConfinedTree.checkLink(path, target);
                        TarArchiveEntry l = new TarArchiveEntry(prefix + "/" + path, TarArchiveEntry.LF_SYMLINK);
                        l.setLinkName(target);
                        stamp(l, mtime, 0777);
                        tar.putArchiveEntry(l);
                        tar.closeArchiveEntry();
                        continue;
                    }
                    TarArchiveEntry f = new TarArchiveEntry(prefix + "/" + path);
                    stamp(f, mtime, mode == FileMode.EXECUTABLE_FILE ? 0755 : 0644);
                    f.setSize(data.length);
                    tar.putArchiveEntry(f);
                    tar.write(data);
                    tar.closeArchiveEntry();
                }
            }
        }
    }

    private static void stamp(TarArchiveEntry e, long mtime, int mode) {
        e.setModTime(mtime * 1000);
        e.setMode((e.isDirectory() ? 040000 : e.isSymbolicLink() ? 0120000 : 0100000) | mode);
        e.setUserId(0);
        e.setGroupId(0);
        e.setUserName("root");
        e.setGroupName("root");
    }

    /**
     * The commit's whole tree, written into {@code target} (a checkout without a working copy of git's). Nothing is
     * written through a link, and a link that points outside the tree is refused, naming it.
     */
    public void exportTree(RevCommit c, Path target) throws IOException {
        checkout(c, new ConfinedTree(Files.createDirectories(target)), null);
    }

    /** Writes the commit's files into {@code target}, leaving out paths under {@code skip} (null: none). */
    private void checkout(RevCommit c, ConfinedTree target, String skip) throws IOException {
        try (TreeWalk tw = new TreeWalk(repo)) {
            tw.addTree(c.getTree());
            tw.setRecursive(true);
            while (tw.next()) {
                String path = tw.getPathString();
                if (skip != null && path.startsWith(skip)) {
                    continue;
                }
                write(c, tw, target, path);
            }
        }
    }

    private void checkoutDirectory(RevCommit c, String prefix, ConfinedTree target) throws IOException {
        try (TreeWalk tw = new TreeWalk(repo)) {
            tw.addTree(c.getTree());
            tw.setRecursive(true);
            boolean any = false;
            while (tw.next()) {
                String path = tw.getPathString();
                if (path.startsWith(prefix)) {
                    write(c, tw, target, path);
                    any = true;
                }
            }
            if (!any) {
                throw new FormatException(
                        "the packaging commit " + c.abbreviate(7).name() + " has no " + prefix);
            }
        }
    }

    private void write(RevCommit c, TreeWalk tw, ConfinedTree target, String path) throws IOException {
        FileMode mode = tw.getFileMode(0);
        if (mode == FileMode.GITLINK) {
            return;
        }
        byte[] data = repo.open(tw.getObjectId(0)).getBytes();
        try {
            if (mode == FileMode.SYMLINK) {
                target.link(path, new String(data, StandardCharsets.UTF_8));
            } else {
                target.write(path, data, mode == FileMode.EXECUTABLE_FILE);
            }
        } catch (ConfinedTree.Refused e) {
            throw new ConfinedTree.Refused("commit " + c.abbreviate(7).name() + ": " + e.getMessage());
        }
    }
}
