package org.ppaforge.forge;

import java.util.concurrent.atomic.AtomicReference;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.farm.Builds;
import org.ppaforge.pipeline.Pipelines;
import org.ppaforge.qa.CoverageCheck;
import org.ppaforge.qa.Qa;

/**
 * The composition root: opens every module once from one {@link ForgeConfig}, in dependency order (archive core, build
 * farm, QA, pipelines), and closes them in reverse. Every front end (the server, the CLI's local mode, tests,
 * benchmarks) gets its modules here; none is ever missing. A server's background work is the {@link Daemon}'s.
 */
public final class Forge implements AutoCloseable {
    private final ForgeConfig config;
    private final Ppaforge archive;
    private final Builds farm;
    private final Qa qa;
    private final Pipelines pipelines;
    private final AtomicReference<String> baseUrl = new AtomicReference<>();

    private Forge(ForgeConfig config) {
        this.config = config;
        Ppaforge a = Ppaforge.open(config.archive());
        Builds b = null;
        Qa q = null;
        try {
            b = Builds.open(a, config.problems(), config.leaseTime());
            q = Qa.open(a, b);
            this.pipelines = Pipelines.open(a, b, new CoverageCheck(q), baseUrl::get, config.problems());
        } catch (RuntimeException e) {
            closeQuietly(q);
            closeQuietly(b);
            a.close();
            throw e;
        }
        this.archive = a;
        this.farm = b;
        this.qa = q;
    }

    public static Forge open(ForgeConfig config) {
        return new Forge(config);
    }

    public ForgeConfig config() {
        return config;
    }

    /** The archive core: archives, uploads, publishing, keys, tokens. */
    public Ppaforge archive() {
        return archive;
    }

    /** The build farm: the build queue, leases, chroots. */
    public Builds farm() {
        return farm;
    }

    public Pipelines pipelines() {
        return pipelines;
    }

    /** Coverage and rebuild sets. */
    public Qa qa() {
        return qa;
    }

    /**
     * Where the server answers, once it does (pipelines' install tests fetch the archive and call back there); null
     * while no server runs. Set by the {@link Daemon} (or a test that runs a server without one).
     */
    public String baseUrl() {
        return baseUrl.get();
    }

    public void serving(String url) {
        baseUrl.set(url);
    }

    @Override
    public void close() {
        closeQuietly(pipelines);
        closeQuietly(qa);
        closeQuietly(farm);
        archive.close();
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            // closing the rest anyway
        }
    }
}
