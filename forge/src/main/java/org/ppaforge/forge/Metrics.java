package org.ppaforge.forge;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.ppaforge.archive.Caller;
import org.ppaforge.archive.Ppaforge;
import org.ppaforge.farm.BuildState;
import org.ppaforge.farm.Builds;
import org.ppaforge.farm.store.BuildStore;

/**
 * A server's metrics for Prometheus (Micrometer's registry writes the exposition format): the JVM's own, the build
 * queue by state (count and the oldest build's age, read from the store at most every five seconds), publish durations
 * per archive, lease expiries, and each background task's runs by outcome. The HTTP layer adds its requests by route
 * and the uploads it accepted and refused ({@link #registry}).
 */
public final class Metrics implements AutoCloseable {
    private static final Duration QUEUE_FRESH = Duration.ofSeconds(5);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final Builds farm;
    private final Ppaforge archive;
    private final Counter leaseExpiries;
    private Map<BuildState, BuildStore.StateCount> queue = Map.of();
    private Instant queueReadAt = Instant.EPOCH;

    Metrics(Forge forge) {
        this.farm = forge.farm();
        this.archive = forge.archive();
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        // The shared database's connection pool (HikariCP's own meters: hikaricp_connections_active, _idle, _pending,
        // acquire and usage times).
        archive.databases().bindMetrics(registry);
        for (BuildState s : BuildState.values()) {
            Gauge.builder("ppaforge.builds", () -> queue(s).count())
                    .description("builds in this state")
                    .tag("state", s.label())
                    .register(registry);
            if (!s.isFinal()) {
                Gauge.builder("ppaforge.builds.oldest.age", () -> age(queue(s).oldestCreated()))
                        .description("how long ago the oldest build in this state was created (0: none)")
                        .baseUnit("seconds")
                        .tag("state", s.label())
                        .register(registry);
            }
        }
        leaseExpiries = Counter.builder("ppaforge.lease.expiries")
                .description("build leases that ran out without a heartbeat (the build went back to the queue)")
                .register(registry);
        forge.archive()
                .onPublished((archive, result) -> Timer.builder("ppaforge.publish")
                        .description("publishing an archive's signed tree")
                        .tag("archive", archive)
                        .register(registry)
                        .record(Duration.ofMillis(result.millis())));
    }

    /** Where the HTTP layer records its own meters. */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Everything, in Prometheus' text format, to an admin (or the operator); others are refused as verbs refuse them. */
    public String scrape(Caller caller) {
        caller.admin(archive);
        return registry.scrape();
    }

    /** One run of a background task ended: {@code ok}, or it threw. */
    void taskRun(String task, boolean ok) {
        Counter.builder("ppaforge.task.runs")
                .description("background task runs by outcome")
                .tag("task", task)
                .tag("outcome", ok ? "ok" : "failed")
                .register(registry)
                .increment();
    }

    void leaseExpiries(int n) {
        leaseExpiries.increment(n);
    }

    private synchronized BuildStore.StateCount queue(BuildState s) {
        Instant now = Instant.now();
        if (now.isAfter(queueReadAt.plus(QUEUE_FRESH))) {
            Map<BuildState, BuildStore.StateCount> next = new EnumMap<>(BuildState.class);
            List<BuildStore.StateCount> counts = farm.countBuilds().call();
            counts.forEach(c -> next.put(c.state(), c));
            queue = next;
            queueReadAt = now;
        }
        return queue.getOrDefault(s, new BuildStore.StateCount(s, 0, null));
    }

    private static double age(Instant oldest) {
        return oldest == null
                ? 0
                : Math.max(0, Duration.between(oldest, Instant.now()).toMillis() / 1000.0);
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
