package org.ppaforge.server;

import io.undertow.util.Headers;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ppaforge.forge.Forge;

/**
 * {@code GET /api/v1/ready}: whether this server can take traffic now, for a load balancer's or an orchestrator's
 * readiness probe. Each store is asked (the metadata and build databases answer a query; their migrations were
 * applied when the server opened them, before it listened), the pool can take files and the publish directory can be
 * written. 200 with every check "ok", else 503 with what failed; a stopping server answers 503 before this is asked.
 * {@code /api/v1/health} says only that the process answers.
 */
final class Readiness {
    private final Forge forge;

    Readiness(Forge forge) {
        this.forge = forge;
    }

    Api.Raw answer() {
        Map<String, String> checks = new LinkedHashMap<>();
        check(checks, "database", () -> {
            forge.archive().metadata().read(tx -> tx.archives().size());
            forge.farm().countBuilds().call();
        });
        check(checks, "blobs", () -> forge.archive().blobs().check());
        check(checks, "publish", () -> {
            if (!Files.isWritable(forge.archive().publishRoot())) {
                throw new IllegalStateException(forge.archive().publishRoot() + " is not writable");
            }
        });
        boolean ready = checks.values().stream().allMatch("ok"::equals);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("ready", ready);
        body.put("checks", checks);
        return ex -> {
            ex.setStatusCode(ready ? 200 : 503);
            ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
            ex.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
            ex.getResponseSender().send(Api.JSON.writeValueAsString(body));
        };
    }

    private interface Check {
        void run() throws Exception;
    }

    private static void check(Map<String, String> checks, String name, Check check) {
        try {
            check.run();
            checks.put(name, "ok");
        } catch (Exception e) {
            checks.put(name, String.valueOf(e.getMessage()));
        }
    }
}
