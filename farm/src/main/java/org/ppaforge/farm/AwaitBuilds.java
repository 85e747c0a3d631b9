package org.ppaforge.farm;

import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Waits until every build of one source version in an archive has ended (built, failed, superseded, cancelled) or waits
 * for dependencies, as pipelines and rebuilds do after an upload: polled once a second, up to a time limit or until the
 * caller gives up.
 */
public final class AwaitBuilds {
    private final Builds builds;
    private String archive;
    private String source;
    private String version;
    private Duration timeout = Duration.ofHours(3);
    private BooleanSupplier giveUp = () -> false;

    AwaitBuilds(Builds builds) {
        this.builds = builds;
    }

    public AwaitBuilds of(String archive, String source, String version) {
        this.archive = archive;
        this.source = source;
        this.version = version;
        return this;
    }

    public AwaitBuilds timeout(Duration timeout) {
        this.timeout = timeout;
        return this;
    }

    /** Asked between polls: true stops the wait (e.g. the run was cancelled). */
    public AwaitBuilds giveUpWhen(BooleanSupplier giveUp) {
        this.giveUp = giveUp;
        return this;
    }

    /**
     * @param builds the version's builds as the wait ended
     * @param done whether they all ended (or wait for dependencies); false: the time ran out or the caller gave up
     * @param gaveUp whether the caller gave up
     */
    public record Result(List<Build> builds, boolean done, boolean gaveUp) {}

    public Result call() throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<Build> bs = builds.list().archive(archive).source(source).limit(50).call().stream()
                    .filter(b -> b.version().equals(version))
                    .toList();
            if (!bs.isEmpty()
                    && bs.stream().allMatch(b -> b.state().isFinal() || b.state() == BuildState.DEPENDENCY_WAIT)) {
                return new Result(bs, true, false);
            }
            if (System.nanoTime() > deadline) {
                return new Result(bs, false, false);
            }
            if (giveUp.getAsBoolean()) {
                return new Result(bs, false, true);
            }
            Thread.sleep(1000);
        }
    }
}
