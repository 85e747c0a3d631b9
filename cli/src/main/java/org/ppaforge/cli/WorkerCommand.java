package org.ppaforge.cli;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.ppaforge.client.worker.Worker;
import org.ppaforge.farm.sbuild.Tools;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import sun.misc.Signal;

@Command(
        name = "worker",
        mixinStandardHelpOptions = true,
        description = {
            "Build packages for a ppaforge server on this machine: lease builds over the API, run sbuild "
                    + "(unshare mode; needs sbuild, mmdebstrap, uidmap and a 'root:100000:65536'-style line in /etc/subuid and "
                    + "/etc/subgid for the user), stream the log, return the results. A worker token comes from "
                    + "'ppa token create NAME --role worker'. Stop it with Ctrl-C; a killed worker's build goes to another worker "
                    + "when its lease runs out."
        })
final class WorkerCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(
            names = "--server",
            required = true,
            paramLabel = "URL",
            description = "the ppaforge server, e.g. http://build-host:8080")
    String server;

    @Option(names = "--token", paramLabel = "TOKEN", description = "a worker token (default: $PPAFORGE_TOKEN)")
    String token;

    @Option(
            names = "--arch",
            split = ",",
            paramLabel = "ARCH",
            description = "architectures to build for (default: this " + "machine's, from dpkg --print-architecture)")
    List<String> arch = new ArrayList<>();

    @Option(names = "--slots", defaultValue = "1", description = "builds at once (default: ${DEFAULT-VALUE})")
    int slots;

    @Option(names = "--name", paramLabel = "NAME", description = "this worker's name (default: the host name)")
    String name;

    @Option(
            names = "--work-dir",
            paramLabel = "DIR",
            description = "chroot cache and build directories (default: " + "~/.cache/ppaforge-worker)")
    Path workDir;

    @Override
    public Integer call() throws Exception {
        Tools.require("sbuild", "sbuild mmdebstrap uidmap");
        String t = token != null ? token : System.getenv("PPAFORGE_TOKEN");
        if (t == null || t.isBlank()) {
            throw new IllegalArgumentException(
                    "a worker needs a token: --token or $PPAFORGE_TOKEN ('ppa token create NAME --role worker')");
        }
        if (slots < 1 || slots > 64) {
            throw new IllegalArgumentException("--slots is between 1 and 64, not " + slots);
        }
        List<String> archs = arch.isEmpty() ? List.of(Tools.hostArchitecture()) : arch;
        String base = name != null ? name : InetAddress.getLocalHost().getHostName();
        Path dir = workDir != null ? workDir : Config.home().resolve(".cache/ppaforge-worker");
        var out = spec.commandLine().getOut();
        List<Worker> workers = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < slots; i++) {
            Worker w = new Worker(server, t, slots == 1 ? base : base + "-" + (i + 1), archs, dir).say(line -> {
                synchronized (out) {
                    out.println(line);
                    out.flush();
                }
            });
            workers.add(w);
            Thread th = new Thread(w, "worker-" + i);
            threads.add(th);
            th.start();
        }
        out.println("worker " + base + " building " + String.join(", ", archs) + " for " + server + " (" + slots
                + " slot(s))");
        out.flush();
        var stop = new CountDownLatch(1);
        for (String signal : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(signal), s -> stop.countDown());
        }
        stop.await();
        workers.forEach(Worker::stop);
        threads.forEach(Thread::interrupt);
        return ExitCodes.OK;
    }
}
