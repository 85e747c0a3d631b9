package org.ppaforge.pipeline.step;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import org.ppaforge.archive.signing.ReleaseSigner;
import org.ppaforge.common.ForgeException;
import org.ppaforge.pipeline.source.SourcePackageMaker;

/**
 * The source package signed with the pipeline's key ({@code .dsc}, then the {@code .changes} that dpkg-genchanges makes),
 * put in the archive's upload queue and processed there through the same checks as a dput upload.
 */
final class UploadStep implements PipelineStep {
    @Override
    public String name() {
        return "upload";
    }

    @Override
    public Scope scope() {
        return Scope.PER_SERIES;
    }

    @Override
    public String run(RunContext c, Cell cell) throws StepFailed, IOException, InterruptedException {
        String pipeline = c.pipeline.name();
        String archive = c.definition.archive();
        var key = c.pipelines.secretKey(pipeline);
        // A key kept in a shared database is passphrase-protected; a file key is not (the passphrase is then unused).
        ReleaseSigner signer = new ReleaseSigner(
                List.of(key.getSecretKey()), c.pipelines.archive().keyPassphrase());
        Date now = new Date();
        SourcePackageMaker.Result source = c.source(cell.series());
        Path dsc = source.dsc();
        Files.write(dsc, signer.clearSigned(Files.readString(dsc, StandardCharsets.UTF_8), now));
        ProcessBuilder pb = new ProcessBuilder("dpkg-genchanges", "-S", "-sa")
                .directory(source.tree().toFile());
        pb.environment().put("LC_ALL", "C.UTF-8");
        Process p = pb.start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new StepFailed("upload: dpkg-genchanges failed: " + err.strip());
        }
        String version = source.version().toString();
        String name = source.source() + "_" + version.substring(version.indexOf(':') + 1) + "_source.changes";
        Path changes = dsc.resolveSibling(name);
        Files.write(changes, signer.clearSigned(text, now));
        String uploader = "pipeline:" + pipeline;
        Path incoming =
                Files.createDirectories(c.pipelines.archive().incoming().directory(archive, uploader)); // its own queue
        List<String> files = new ArrayList<>();
        for (String line : text.substring(text.indexOf("\nFiles:") + 1)
                .lines()
                .skip(1)
                .takeWhile(l -> l.startsWith(" "))
                .toList()) {
            files.add(line.strip().split("\\s+")[4]);
        }
        for (String f : files) {
            Files.copy(dsc.resolveSibling(f), incoming.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
        Files.copy(changes, incoming.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        try {
            var r = c.pipelines
                    .archive()
                    .processUpload()
                    .archive(archive)
                    .changes(name)
                    .token(uploader)
                    .origin("pipeline " + pipeline + " run " + c.run.id())
                    .call();
            c.log(
                    cell.label(),
                    "signed " + name + " with the key of pipeline " + pipeline + " ("
                            + Long.toHexString(key.getPublicKey().getKeyID()).toUpperCase(Locale.ROOT)
                            + ") and uploaded it with " + files.size() + " file(s): " + String.join(", ", files)
                            + "\nthe archive answered: " + r.summary() + " (signer: " + r.signer() + ")\n");
            return "accepted into " + r.archive() + "/" + r.series() + ": " + source.source() + " " + version;
        } catch (ForgeException e) {
            String hint = e.kind() == ForgeException.Kind.FORBIDDEN
                    ? " (make the pipeline's key an uploader: 'ppa pipeline key " + pipeline
                            + " > key.asc && ppa uploader add " + archive + " key.asc')"
                    : "";
            throw new StepFailed("upload: " + e.getMessage() + hint);
        }
    }
}
