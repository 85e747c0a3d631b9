package org.ppaforge.pipeline;

import java.io.IOException;
import java.util.Date;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.ppaforge.archive.Caller;
import org.ppaforge.archive.signing.OpenPgp;
import org.ppaforge.common.ForgeException;
import org.ppaforge.common.Names;

/** Registers a pipeline (a git repository, its branch and definition file) and makes its signing key. */
public final class CreatePipeline {
    private final Pipelines pipelines;
    private String name;
    private String gitUrl;
    private String branch;
    private String file;

    private Caller caller = Caller.OPERATOR;

    CreatePipeline(Pipelines pipelines) {
        this.pipelines = pipelines;
    }

    /** Who calls (default: the local operator): registering a pipeline is an admin's. */
    public CreatePipeline caller(Caller caller) {
        this.caller = caller;
        return this;
    }

    public CreatePipeline name(String name) {
        this.name = name;
        return this;
    }

    public CreatePipeline git(String gitUrl) {
        this.gitUrl = gitUrl;
        return this;
    }

    public CreatePipeline branch(String branch) {
        this.branch = branch;
        return this;
    }

    public CreatePipeline file(String file) {
        this.file = file;
        return this;
    }

    public Pipeline call() throws IOException {
        caller.admin(pipelines.archive());
        if (!Names.is(Names.SET, name) || name.equals("runs")) {
            throw ForgeException.invalid(
                    "invalid pipeline name '" + name + "': lower-case letters, digits, '.' and '-'");
        }
        if (gitUrl == null || !gitUrl.matches("(https?|git|ssh|file)://\\S+")) {
            throw ForgeException.invalid(
                    "a pipeline needs a git URL (https://, http://, git://, ssh:// or file://), not '" + gitUrl + "'");
        }
        String b = branch == null ? "main" : branch;
        String f = file == null ? ".ppaforge.yml" : file;
        if (f.startsWith("/") || f.contains("..")) {
            throw ForgeException.invalid("the pipeline file is a path inside the repository, not '" + f + "'");
        }
        if (pipelines.store().pipeline(name).isPresent()) {
            throw ForgeException.refused("a pipeline named '" + name + "' exists");
        }
        // On shared stores the key is a row every server signs with, protected by the servers' passphrase.
        boolean shared = pipelines.archive().databases().shared();
        if (shared) {
            pipelines.archive().secretKeys().checkGenerated(pipelines.archive().keyPassphrase());
        }
        PGPSecretKeyRing key = OpenPgp.generate(
                OpenPgp.KeyType.ED25519,
                "ppaforge pipeline " + name + " <" + name + "@pipelines.ppaforge>",
                shared ? pipelines.archive().keyPassphrase() : null,
                new Date());
        pipelines.keepKey(name, key);
        Pipeline p = new Pipeline(name, gitUrl, b, f, OpenPgp.fingerprint(key.getPublicKey()), pipelines.now());
        pipelines.store().insertPipeline(p);
        return p;
    }
}
