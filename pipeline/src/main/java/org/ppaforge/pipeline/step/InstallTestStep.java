package org.ppaforge.pipeline.step;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ppaforge.archive.model.ApiToken;
import org.ppaforge.archive.verb.AptSources;
import org.ppaforge.farm.Redactor;
import org.ppaforge.pipeline.Pipelines;
import org.ppaforge.pipeline.definition.PipelineDefinition;
import org.ppaforge.pipeline.testbed.Testbed;

/**
 * The install test. A fresh testbed gets the archive in its apt sources (and, for a private archive, a reader token of
 * its own in apt's auth.conf, revoked when the step ends), installs the named packages and runs the script. The verdict
 * is the callback, from the script or from anything it started (a booted machine), not the script's exit status; a
 * script that fails and has not called back within 10 s fails the step at once. The callback secret and the token are
 * blanked in the step's log.
 */
final class InstallTestStep implements PipelineStep {
    private static final SecureRandom RANDOM = new SecureRandom();

    @Override
    public String name() {
        return "test";
    }

    @Override
    public Scope scope() {
        return Scope.PER_CONFIGURATION;
    }

    @Override
    public String run(RunContext c, Cell cell) throws StepFailed, IOException, InterruptedException {
        PipelineDefinition.Configuration test = configuration(c, cell);
        String base = c.pipelines.baseUrl();
        if (base == null) {
            throw new StepFailed(
                    "test: the install test needs the server (its archive and its callback): run the pipeline "
                            + "from 'ppa serve'");
        }
        Testbed bed = c.testbed(name(), cell.series());
        byte[] raw = new byte[24];
        RANDOM.nextBytes(raw);
        String secret = HexFormat.of().formatHex(raw);
        Instant until = Instant.now().plus(test.timeout());
        String archive = c.definition.archive();
        String token = null;
        String tokenName = "pipeline-" + c.pipeline.name() + "-run-" + c.run.id()
                + cell.label().substring(name().length()).replace(':', '-');
        if (c.pipelines.archive().authenticate().isPrivate(archive)) {
            token = c.pipelines
                    .archive()
                    .createToken()
                    .name(tokenName)
                    .role(ApiToken.READER)
                    .archive(archive)
                    .call()
                    .secret();
        }
        Redactor log = new Redactor(
                token == null ? List.of(secret) : List.of(secret, token), text -> c.log(cell.label(), text));
        c.pipelines.store().expectCallback(c.run.id(), cell.label(), Pipelines.sha256(secret), until);
        try {
            String script = script(c, test, cell.series(), base, token);
            Path tree = c.checkout("test-checkout-" + cell.label().replace(':', '-'));
            Map<String, String> env = new LinkedHashMap<>(test.env());
            env.put("PPAFORGE_CALLBACK_URL", base + "/api/v1/pipelines/runs/" + c.run.id() + "/callback/" + secret);
            env.put("PPAFORGE_RUN", Long.toString(c.run.id()));
            env.put("PPAFORGE_SERIES", cell.series());
            env.put("PPAFORGE_CONFIGURATION", test.name());
            Testbed.Result[] result = new Testbed.Result[1];
            Exception[] failed = new Exception[1];
            Thread t = new Thread(
                    () -> {
                        try {
                            result[0] = bed.run(tree, script, env, test.timeout(), log, src -> {});
                        } catch (InterruptedException e) {
                            // the verdict came: the testbed was stopped
                        } catch (IOException | RuntimeException e) {
                            failed[0] = e;
                        } finally {
                            log.flush();
                        }
                    },
                    "pipeline-test-" + c.run.id() + "-" + cell.label());
            t.start();
            try {
                return await(c, cell, test, t, result, failed, until);
            } finally {
                t.interrupt();
                t.join(60_000);
            }
        } finally {
            // a late callback finds no secret to match: 409
            c.pipelines.store().expectCallback(c.run.id(), cell.label(), null, null);
            if (token != null) {
                c.pipelines.archive().revokeToken().name(tokenName).call();
            }
        }
    }

    private String await(
            RunContext c,
            Cell cell,
            PipelineDefinition.Configuration test,
            Thread t,
            Testbed.Result[] result,
            Exception[] failed,
            Instant until)
            throws StepFailed, InterruptedException {
        Instant scriptEnded = null;
        while (true) {
            var cb = c.pipelines.store().callback(c.run.id(), cell.label()).orElseThrow();
            if (cb.result() != null) {
                String said = cb.message() == null ? "" : ": " + cb.message();
                if (cb.result().equals("pass")) {
                    return "passed (callback" + said + ")";
                }
                throw new StepFailed("test: failed (callback" + said + ")");
            }
            if (failed[0] != null) {
                throw new StepFailed("test: the testbed could not run: " + failed[0].getMessage());
            }
            if (!t.isAlive() && scriptEnded == null) {
                scriptEnded = Instant.now();
            }
            if (scriptEnded != null
                    && result[0] != null
                    && !result[0].passed()
                    && Instant.now().isAfter(scriptEnded.plusSeconds(10))) {
                throw new StepFailed("test: the test script failed (exit " + result[0].exit()
                        + ") without calling back:\n" + c.tail(cell.label()));
            }
            if (Instant.now().isAfter(until)) {
                throw StepFailed.timedOut("test: no callback within " + RunContext.format(test.timeout()));
            }
            if (c.pipelines.store().cancelRequested(c.run.id())) {
                throw StepFailed.cancelled("cancelled while the install test waited");
            }
            Thread.sleep(250);
        }
    }

    /** The configuration a cell runs. */
    private static PipelineDefinition.Configuration configuration(RunContext c, Cell cell) {
        return c.definition.test().configurations().stream()
                .filter(x -> x.name().equals(cell.configuration()))
                .findFirst()
                .orElseThrow();
    }

    /**
     * apt sources (and credentials) for the archive and the configuration's extra lines, its debconf answers, the
     * packages installed, then the test script.
     */
    private static String script(
            RunContext c, PipelineDefinition.Configuration test, String series, String base, String token) {
        String archive = c.definition.archive();
        // The key in a keyring file, not inline: apt before 2.3.10 (Debian 11, Ubuntu 20.04) reads no inline key.
        String keyring = "/usr/share/keyrings/ppaforge-" + archive + ".gpg";
        AptSources verb = c.pipelines
                .archive()
                .aptSources()
                .archive(archive)
                .url(base)
                .series(series)
                .withSources(false)
                .keyFile(keyring);
        String sources = verb.call();
        StringBuilder s = new StringBuilder("base64 -d > " + keyring + " <<'PPAFORGE_EOF'\n")
                .append(Base64.getMimeEncoder(76, new byte[] {'\n'}).encodeToString(verb.binaryKeyring()))
                .append("\nPPAFORGE_EOF\n")
                .append("cat > /etc/apt/sources.list.d/ppaforge.sources <<'PPAFORGE_EOF'\n")
                .append(sources.strip())
                .append("\nPPAFORGE_EOF\n");
        if (!test.aptSources().isEmpty()) {
            s.append("cat > /etc/apt/sources.list.d/ppaforge-extra.list <<'PPAFORGE_EOF'\n");
            for (String line : test.aptSources()) {
                s.append(line.replace("{series}", series)).append('\n');
            }
            s.append("PPAFORGE_EOF\n");
        }
        if (token != null) {
            URI u = URI.create(base);
            s.append("mkdir -p /etc/apt/auth.conf.d && cat > /etc/apt/auth.conf.d/ppaforge.conf <<'PPAFORGE_EOF'\n")
                    .append("machine ")
                    .append(u.getScheme())
                    .append("://")
                    .append(u.getAuthority())
                    .append("/")
                    .append(archive)
                    .append(" login pipeline password ")
                    .append(token)
                    .append("\nPPAFORGE_EOF\n")
                    .append("chmod 600 /etc/apt/auth.conf.d/ppaforge.conf\n");
        }
        if (test.debconf() != null) {
            s.append("debconf-set-selections <<'PPAFORGE_EOF'\n")
                    .append(test.debconf().replace("\nPPAFORGE_EOF", "\n"))
                    .append("\nPPAFORGE_EOF\n");
        }
        s.append("apt-get update -q\n");
        List<String> packages = new ArrayList<>();
        for (String p : test.install()) {
            packages.add(p.replaceAll("[^A-Za-z0-9.+:=~-]", ""));
        }
        if (!packages.isEmpty()) {
            s.append("DEBIAN_FRONTEND=noninteractive apt-get install -y -q ")
                    .append(String.join(" ", packages))
                    .append("\n");
        }
        return s.append("exec /bin/sh -e ./")
                .append(test.script().replaceFirst("^\\./", ""))
                .append("\n")
                .toString();
    }
}
