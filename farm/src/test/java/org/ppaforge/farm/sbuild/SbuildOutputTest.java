package org.ppaforge.farm.sbuild;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** sbuild's summary, read from logs sbuild 0.85 wrote on this kind of machine (unshare mode, bookworm chroot). */
class SbuildOutputTest {
    private static String log(String name) throws IOException {
        try (InputStream in = SbuildOutputTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void aSuccessfulBuild() throws IOException {
        Sbuild.Outcome o = Sbuild.parse(0, log("successful.build"));
        assertThat(o.successful()).isTrue();
        assertThat(o.dependencyWait()).isFalse();
    }

    @Test
    void unmetBuildDependenciesAreADependencyWaitWithTheRelationsAptCouldNotInstall() throws IOException {
        // Build-Depends: ..., libnotthere-dev (>= 1.2) | libalsonot-dev: sbuild's apt resolver keeps the first
        // alternative.
        Sbuild.Outcome o = Sbuild.parse(3, log("depwait.build"));
        assertThat(o.successful()).isFalse();
        assertThat(o.status()).isEqualTo("given-back");
        assertThat(o.failStage()).isEqualTo("install-deps");
        assertThat(o.dependencyWait()).isTrue();
        assertThat(o.unmet()).isEqualTo("libnotthere-dev (>= 1.2)");
    }

    @Test
    void aDependencyWaitIsFoundWhenAptsErrorLandsInTheMiddleOfItsReport() throws IOException {
        // "E sbuild-build-depends-main-dummy : Depends: ...\n: Unable to correct problems": stderr cut into stdout.
        Sbuild.Outcome o = Sbuild.parse(3, log("depwait-interleaved.build"));
        assertThat(o.dependencyWait()).isTrue();
        assertThat(o.unmet()).isEqualTo("libppaf-doc (>= 1.0)");
    }

    @Test
    void theCommandLineIsUnshareModeWithoutLintianAndWithTheExtraRepositories() {
        var cmd = new Sbuild()
                .chroot(Path.of("/c/x.tar.zst"))
                .distribution("bookworm")
                .architecture("amd64")
                .archAll(true)
                .buildDir(Path.of("/b"))
                .repositories(List.of(new Sbuild.ExtraRepository("deb http://h/a bookworm main", Path.of("/k.asc"))))
                .command(Path.of("/s/p.dsc"));
        assertThat(cmd)
                .contains(
                        "--chroot-mode=unshare",
                        "--chroot=/c/x.tar.zst",
                        "--dist=bookworm",
                        "--arch=amd64",
                        "--arch-all",
                        "--no-run-lintian",
                        "--extra-repository=deb http://h/a bookworm main",
                        "--extra-repository-key=/k.asc")
                .endsWith("/s/p.dsc");
    }
}
