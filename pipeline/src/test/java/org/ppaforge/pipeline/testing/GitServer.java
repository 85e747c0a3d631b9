package org.ppaforge.pipeline.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.Daemon;

/** A real git remote for tests: JGit's git daemon on 127.0.0.1 serving one repository, at {@link #url()}. */
public final class GitServer implements AutoCloseable {
    private final Daemon daemon;

    private GitServer(Daemon daemon) {
        this.daemon = daemon;
    }

    public static GitServer serve(Repository repository) throws IOException {
        Daemon daemon = new Daemon(new InetSocketAddress("127.0.0.1", 0));
        daemon.setRepositoryResolver((req, name) -> {
            repository.incrementOpen();
            return repository;
        });
        daemon.start();
        return new GitServer(daemon);
    }

    /** {@code git://127.0.0.1:PORT/mytool.git} (any path names the one repository). */
    public String url() {
        return "git://127.0.0.1:" + daemon.getAddress().getPort() + "/mytool.git";
    }

    @Override
    public void close() {
        daemon.stop();
    }
}
