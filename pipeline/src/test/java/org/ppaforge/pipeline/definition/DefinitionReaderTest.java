package org.ppaforge.pipeline.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** .ppaforge.yml: what a full file means, and each mistake named with file, line and column. */
class DefinitionReaderTest {
    static final String FULL = """
            archive: trunk
            series: bookworm
            check:
              commands:
                - make lint
                - make test
              artifacts: [build/junit.xml]
              timeout: 20m
            source:
              packaging-branch: debian/latest
            upload: true
            build:
            test:
              install: [mytool]
              script: tests/install.sh
              timeout: 5m
            promote:
              to: milestone-proposed
              skew-check: true
              with-dependencies: true
            triggers:
              poll: 5m
              webhook: true
              schedule: daily
            """;

    @Test
    void aFullFile() {
        PipelineDefinition d = DefinitionReader.read(FULL, ".ppaforge.yml");
        assertThat(d.archive()).isEqualTo("trunk");
        assertThat(d.version()).isEqualTo(PipelineDefinition.DEFAULT_VERSION);
        assertThat(d.check().commands()).containsExactly("make lint", "make test");
        assertThat(d.check().timeout()).isEqualTo(Duration.ofMinutes(20));
        assertThat(d.source().packagingBranch()).isEqualTo("debian/latest");
        assertThat(d.upload()).isTrue();
        assertThat(d.build().timeout()).isEqualTo(Duration.ofHours(3));
        assertThat(d.series()).containsExactly("bookworm");
        assertThat(d.test().configurations()).hasSize(1);
        PipelineDefinition.Configuration only = d.test().configurations().get(0);
        assertThat(only.name()).isEqualTo(PipelineDefinition.Test.DEFAULT);
        assertThat(only.install()).containsExactly("mytool");
        assertThat(only.script()).isEqualTo("tests/install.sh");
        assertThat(only.timeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(d.promote()).isEqualTo(new PipelineDefinition.Promote("milestone-proposed", true, true));
        assertThat(d.triggers()).isEqualTo(new PipelineDefinition.Triggers(Duration.ofMinutes(5), true, "daily"));
        PipelineDefinition minimal =
                DefinitionReader.read("archive: trunk\nseries: noble\ncheck:\n  commands: make test\n", "p.yml");
        assertThat(minimal.check().commands()).containsExactly("make test");
        assertThat(minimal.upload()).isFalse();
        assertThat(minimal.test()).isNull();
    }

    private static void fails(String yaml, String message) {
        assertThatThrownBy(() -> DefinitionReader.read(yaml, ".ppaforge.yml"))
                .isInstanceOf(PipelineFileException.class)
                .hasMessage(message);
    }

    @Test
    void eachMistakeIsNamedWhereItIs() {
        fails("", ".ppaforge.yml:1:1: the file is empty: expected a mapping with at least 'archive'");
        fails(
                "archive: trunk\nseries: [a\n",
                ".ppaforge.yml:3:1: not valid YAML: expected ',' or ']', but got <stream end>");
        fails("series: noble\n", ".ppaforge.yml:1:1: missing 'archive'");
        fails("archive: trunk\nseries: [a, b, a]\n", ".ppaforge.yml:2:16: series 'a' is named twice");
        fails(
                "archive: trunk\nseries: []\n",
                ".ppaforge.yml:2:9: series is empty: name one or more, or leave it out for every series of the archive");
        fails(
                "archive: trunk\nseries: noble\nchek:\n  commands: [x]\n",
                ".ppaforge.yml:3:1: unknown key 'chek' in the pipeline "
                        + "(expected one of: archive, build, check, promote, series, source, test, triggers, upload, version)");
        fails(
                "archive: trunk\nseries: noble\ncheck:\n  commands: []\n",
                ".ppaforge.yml:4:13: check.commands is empty: expected at " + "least one command");
        fails(
                "archive: trunk\nseries: noble\ncheck:\n  commands: [make]\n  timeout: soon\n",
                ".ppaforge.yml:5:12: expected a "
                        + "duration for check.timeout such as 90s, 30m, 2h or 1d, not 'soon'");
        fails(
                "archive: Trunk\nseries: noble\n",
                ".ppaforge.yml:1:10: invalid archive 'Trunk': lower-case letters, digits and . + -");
        fails(
                "archive: trunk\nseries: noble\nupload: yes please\n",
                ".ppaforge.yml:3:9: expected true or false for upload");
        fails(
                "archive: trunk\nseries: noble\ntest:\n  script: t.sh\n",
                ".ppaforge.yml:3:1: this step needs 'upload: true' (it works " + "on what the pipeline uploaded)");
        fails(
                "archive: trunk\nseries: noble\nversion: '{debupstream}+{revison}'\n",
                ".ppaforge.yml:3:10: unknown variable "
                        + "{revison} in the version template (known: {debupstream}, {debversion}, {revno}, {revtime}, {revdate}, {time}, "
                        + "{git-commit}, {latest-tag}, {series}, {series-number}, {series-suffix})");
        fails(
                "archive: trunk\nseries: noble\ntriggers:\n  schedule: every day\n",
                ".ppaforge.yml:4:13: expected 'daily' or a cron "
                        + "expression of five fields (minute hour day month weekday), not 'every day'");
        fails(
                "archive: trunk\nseries: noble\ntriggers:\n  schedule: 0 25 * * *\n",
                ".ppaforge.yml:4:13: '25' in '0 25 * * *' is " + "not a number from 0 to 23");
        fails(
                "archive: trunk\nseries: noble\ncheck:\n  commands: [make]\n  coverage:\n    files: [c.xml]\n    min: 120\n",
                ".ppaforge.yml:7:10: expected a percentage from 0 to 100 for check.coverage.min, not '120'");
        fails(
                "archive: trunk\nseries: noble\ncheck:\n  commands: [make]\n  coverage:\n    min: 70\n",
                ".ppaforge.yml:6:5: missing 'files'");
        fails(
                "archive: trunk\narchive: other\nseries: noble\n",
                ".ppaforge.yml:2:1: 'archive' is given twice in the pipeline");
        fails(
                "- a\n- b\n",
                ".ppaforge.yml:1:1: expected a mapping for the pipeline (keys: archive, build, check, promote, series, "
                        + "source, test, triggers, upload, version)");
        // An alias bomb is refused by the parser's limits, not expanded.
        StringBuilder bomb = new StringBuilder("archive: trunk\nseries: noble\na0: &a0 [x, x]\n");
        for (int i = 1; i < 30; i++) {
            bomb.append("a")
                    .append(i)
                    .append(": &a")
                    .append(i)
                    .append(" [*a")
                    .append(i - 1)
                    .append(", *a")
                    .append(i - 1)
                    .append("]\n");
        }
        assertThatThrownBy(() -> DefinitionReader.read(bomb.toString(), "bomb.yml"))
                .isInstanceOf(PipelineFileException.class);
    }

    @Test
    void severalSeriesAndTestConfigurations() {
        PipelineDefinition d = DefinitionReader.read("""
                archive: trunk
                series: [bookworm, trixie]
                upload: true
                test:
                  install: [mytool]
                  script: tests/install.sh
                  timeout: 10m
                  configurations:
                    sqlite:
                      env: {MYTOOL_DB: sqlite, LANG: C.UTF-8}
                    postgresql:
                      install: [mytool, postgresql]
                      debconf: "mytool mytool/db select postgresql"
                      apt-sources: ["deb http://deb.debian.org/debian {series}-backports main"]
                      timeout: 20m
                """, ".ppaforge.yml");
        assertThat(d.series()).containsExactly("bookworm", "trixie");
        assertThat(d.test().configurations())
                .extracting(PipelineDefinition.Configuration::name)
                .containsExactly("sqlite", "postgresql");
        PipelineDefinition.Configuration sqlite = d.test().configurations().get(0);
        assertThat(sqlite.install()).containsExactly("mytool");
        assertThat(sqlite.env()).containsExactly(entry("MYTOOL_DB", "sqlite"), entry("LANG", "C.UTF-8"));
        assertThat(sqlite.timeout()).isEqualTo(Duration.ofMinutes(10));
        assertThat(sqlite.aptSources()).isEmpty();
        PipelineDefinition.Configuration pg = d.test().configurations().get(1);
        assertThat(pg.install()).containsExactly("mytool", "postgresql");
        assertThat(pg.debconf()).isEqualTo("mytool mytool/db select postgresql");
        assertThat(pg.aptSources()).containsExactly("deb http://deb.debian.org/debian {series}-backports main");
        assertThat(pg.script()).isEqualTo("tests/install.sh");
        assertThat(pg.timeout()).isEqualTo(Duration.ofMinutes(20));
        assertThat(DefinitionReader.read("archive: trunk\n", "p.yml").series()).isEmpty();

        String head = "archive: trunk\nupload: true\ntest:\n  script: t.sh\n  configurations:\n";
        fails(
                head + "    Bad Name: {}\n",
                ".ppaforge.yml:6:5: invalid configuration name 'Bad Name': lower-case letters, digits and . + - (up to 40)");
        fails(
                head + "    a: {env: {PPAFORGE_RUN: x}}\n",
                ".ppaforge.yml:6:15: invalid environment variable 'PPAFORGE_RUN' in test.configurations.a.env: letters, digits and _, not starting with PPAFORGE_");
        fails(
                head + "    a: {apt-sources: [\"deb file:/etc x main\"]}\n",
                ".ppaforge.yml:6:22: expected one-line apt sources for test.configurations.a.apt-sources ('deb [options] http://URL SUITE COMPONENT...', {series} allowed), not 'deb file:/etc x main'");
        fails(
                head + "    a: {colour: red}\n",
                ".ppaforge.yml:6:9: unknown key 'colour' in test.configurations.a (expected one of: apt-sources, debconf, env, install, script, timeout)");
        fails("archive: trunk\nupload: true\ntest:\n  install: [x]\n", ".ppaforge.yml:4:3: missing 'script' in test");
    }
}
