package org.ppaforge.pipeline.git;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.errors.TransportException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.RefSpec;
import org.ppaforge.common.Names;

/**
 * A pipeline's git remote, mirrored into a cache (a bare repository per URL, fetched with JGit: no git binary). A fetch
 * brings the branch's newest commit; an unreachable remote is an error that names the URL (the next poll tries again).
 */
public final class GitMirror {
    private final Path cache;

    /** @param cache where the bare mirrors live (one directory per URL) */
    public GitMirror(Path cache) {
        this.cache = cache;
    }

    /** The branch's commit after a fetch, and the repository to read it from (close it when done). */
    public record Fetched(Repository repository, RevCommit commit) implements AutoCloseable {
        @Override
        public void close() {
            repository.close();
        }
    }

    public Fetched fetch(String url, String branch) throws IOException {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("a pipeline needs a git URL");
        }
        if (!Names.isGitRef(branch)) {
            throw new IllegalArgumentException("invalid branch name '" + branch + "'");
        }
        Path dir = cache.resolve(digest(url) + ".git");
        Files.createDirectories(cache);
        if (!Files.isDirectory(dir)) {
            try (Git git = Git.init().setBare(true).setDirectory(dir.toFile()).call()) {
                git.getRepository().getConfig().setString("remote", "origin", "url", url);
                git.getRepository().getConfig().save();
            } catch (GitAPIException e) {
                throw new IOException("cannot make a mirror of " + url + " in " + dir + ": " + e.getMessage(), e);
            }
        }
        Repository repo = new FileRepositoryBuilder()
                .setGitDir(dir.toFile())
                .setMustExist(true)
                .build();
        try (Git git = new Git(repo)) {
            git.fetch()
                    .setRemote(url)
                    .setRefSpecs(
                            new RefSpec("+refs/heads/" + branch + ":refs/heads/" + branch),
                            new RefSpec("+refs/tags/*:refs/tags/*"))
                    .setTimeout(60)
                    .call();
            ObjectId id = repo.resolve("refs/heads/" + branch);
            if (id == null) {
                throw new IOException(url + " has no branch '" + branch + "'");
            }
            try (RevWalk walk = new RevWalk(repo)) {
                return new Fetched(repo, walk.parseCommit(id));
            }
        } catch (GitAPIException | TransportException e) {
            repo.close();
            throw new IOException("cannot fetch " + branch + " from " + url + ": " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            repo.close();
            throw e;
        }
    }

    private static String digest(String url) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(url.getBytes(StandardCharsets.UTF_8)))
                    .substring(0, 24);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
