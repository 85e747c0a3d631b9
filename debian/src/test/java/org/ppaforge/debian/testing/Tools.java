package org.ppaforge.debian.testing;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Runs the real Debian tools the tests use as oracles and fixtures. */
public final class Tools {
    private Tools() {}

    public record Result(int exit, String out, String err) {
        public Result orFail(String what) {
            if (exit != 0) {
                throw new AssertionError(what + " exited " + exit + ": " + err + out);
            }
            return this;
        }
    }

    public static Result run(Path dir, String... command) {
        return run(dir, null, List.of(command));
    }

    public static Result run(Path dir, byte[] stdin, List<String> command) {
        return run(dir, stdin, Map.of(), command);
    }

    /** With these environment variables added (e.g. GNUPGHOME). */
    public static Result run(Path dir, byte[] stdin, Map<String, String> env, List<String> command) {
        try {
            ProcessBuilder pb = new ProcessBuilder(command);
            pb.environment().putAll(env);
            if (dir != null) {
                pb.directory(dir.toFile());
            }
            File err = File.createTempFile("tool", ".err");
            pb.redirectError(err);
            Process p = pb.start();
            if (stdin != null) {
                p.getOutputStream().write(stdin);
            }
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            int exit = p.waitFor();
            String errText = Files.readString(err.toPath());
            Files.delete(err.toPath());
            return new Result(exit, new String(out, StandardCharsets.UTF_8), errText);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * A new Ed25519 signing key for {@code userId} (e.g. {@code Packager <p@example.org>}) made by gpg in the key
     * directory {@code gnupgHome} (created mode 0700 when missing), written ASCII-armoured to {@code armoredOut}.
     */
    public static Path gpgPublicKey(Path gnupgHome, String userId, Path armoredOut) throws IOException {
        if (!Files.isDirectory(gnupgHome)) {
            Files.createDirectories(gnupgHome);
            Files.setPosixFilePermissions(gnupgHome, PosixFilePermissions.fromString("rwx------"));
        }
        List<String> gpg = List.of(
                "gpg", "--batch", "--homedir", gnupgHome.toString(), "--passphrase", "", "--pinentry-mode", "loopback");
        run(null, null, concat(gpg, "--quick-gen-key", userId, "ed25519", "sign", "never"))
                .orFail("gpg --quick-gen-key");
        run(null, null, concat(gpg, "--armor", "--output", armoredOut.toString(), "--export", "=" + userId))
                .orFail("gpg --export");
        return armoredOut;
    }

    /**
     * Signs an upload as a packager does: {@code debsign} with the key of {@code userId} from {@code gnupgHome} signs
     * the .dsc it lists and the .changes (whose checksums of the .dsc it updates).
     */
    public static void debsign(Path gnupgHome, String userId, Path changes) {
        String email = userId.replaceAll(".*<(.*)>.*", "$1");
        run(
                        changes.getParent(),
                        null,
                        Map.of("GNUPGHOME", gnupgHome.toString()),
                        List.of(
                                "debsign",
                                "--no-conf",
                                "-k" + email,
                                changes.getFileName().toString()))
                .orFail("debsign");
    }

    /** A self-signed certificate for IP 127.0.0.1 (EC P-256, valid two days) and its PKCS#8 key, made by openssl: {cert, key}. */
    public static Path[] selfSignedCertificate(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        run(
                        dir,
                        "openssl",
                        "req",
                        "-x509",
                        "-newkey",
                        "ec",
                        "-pkeyopt",
                        "ec_paramgen_curve:P-256",
                        "-nodes",
                        "-days",
                        "2",
                        "-subj",
                        "/CN=127.0.0.1",
                        "-addext",
                        "subjectAltName=IP:127.0.0.1",
                        "-keyout",
                        key.toString(),
                        "-out",
                        cert.toString())
                .orFail("openssl req");
        return new Path[] {cert, key};
    }

    private static List<String> concat(List<String> head, String... tail) {
        List<String> all = new ArrayList<>(head);
        all.addAll(List.of(tail));
        return all;
    }

    /** The largest Debian main amd64 Packages index in this machine's apt lists, decompressed. */
    public static Path realPackagesIndex(Path cacheDir) throws IOException {
        Path target = cacheDir.resolve("Packages-main-amd64");
        if (Files.exists(target)) {
            return target;
        }
        File[] lists = new File("/var/lib/apt/lists").listFiles((d, n) -> n.contains("_main_binary-amd64_Packages"));
        if (lists == null || lists.length == 0) {
            throw new AssertionError("no Packages index under /var/lib/apt/lists: run 'apt-get update' first");
        }
        File biggest = Arrays.stream(lists)
                .max((a, b) -> Long.compare(a.length(), b.length()))
                .orElseThrow();
        Files.createDirectories(cacheDir);
        Path tmp = cacheDir.resolve("Packages.tmp");
        Process p = new ProcessBuilder("/usr/lib/apt/apt-helper", "cat-file", biggest.getPath())
                .redirectOutput(tmp.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        try {
            if (p.waitFor() != 0) {
                throw new AssertionError("apt-helper cat-file " + biggest + " failed");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        Files.move(tmp, target);
        return target;
    }

    /** A classpath resource's bytes. */
    public static byte[] resource(String name) {
        try (InputStream in = Objects.requireNonNull(Tools.class.getResourceAsStream(name), name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String resourceText(String name) {
        return new String(resource(name), StandardCharsets.UTF_8);
    }
}
