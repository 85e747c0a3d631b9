package org.ppaforge.qa.coverage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.tools.ToolProvider;
import org.jacoco.core.analysis.Analyzer;
import org.jacoco.core.analysis.CoverageBuilder;
import org.jacoco.core.tools.ExecFileLoader;
import org.jacoco.report.DirectorySourceFileLocator;
import org.jacoco.report.FileMultiReportOutput;
import org.jacoco.report.IReportVisitor;
import org.jacoco.report.xml.XMLFormatter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ppaforge.debian.testing.Tools;

/**
 * Coverage files made by the real tools, read back: coverage.py's Cobertura XML (python3-coverage), gcc --coverage with
 * lcov's tracefile, and JaCoCo's XML (its agent on a small program, its report writer). Each reader must find exactly the
 * lines the program ran and did not run.
 */
class RealToolReportsTest {
    @TempDir
    Path dir;

    private static CoverageReport read(Path f) throws Exception {
        try (InputStream in = Files.newInputStream(f)) {
            return CoverageReaders.read(in, f.getFileName().toString());
        }
    }

    private static FileCoverage file(CoverageReport r, String suffix) {
        return r.files().stream()
                .filter(f -> f.path().endsWith(suffix))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + suffix + " in " + r.files()));
    }

    @Test
    void coveragePyXmlIsReadAsCobertura() throws Exception {
        Files.writeString(dir.resolve("mytool.py"), """
                def greet(name):
                    if name:
                        return 'hello ' + name
                    return 'nobody'


                def unused():
                    return 42
                """);
        Files.writeString(dir.resolve("test_mytool.py"), """
                import unittest
                import mytool


                class T(unittest.TestCase):
                    def test_greet(self):
                        self.assertEqual(mytool.greet('x'), 'hello x')
                """);
        Tools.run(
                        dir,
                        "python3-coverage",
                        "run",
                        "--branch",
                        "--include=mytool.py",
                        "-m",
                        "unittest",
                        "-q",
                        "test_mytool")
                .orFail("coverage run");
        Tools.run(dir, "python3-coverage", "xml", "-o", "coverage.xml").orFail("coverage xml");
        CoverageReport r = read(dir.resolve("coverage.xml"));
        assertThat(r.format()).isEqualTo("cobertura");
        FileCoverage f = file(r, "mytool.py");
        assertThat(f.covered()).isEqualTo(LineSet.of(1, 2, 3, 7));
        assertThat(f.missed()).isEqualTo(LineSet.of(4, 8));
        assertThat(f.branches()).isEqualTo(2);
        assertThat(f.branchesCovered()).isEqualTo(1);
    }

    @Test
    void gccCoverageThroughLcovIsRead() throws Exception {
        Files.writeString(dir.resolve("prog.c"), """
                #include <stdio.h>
                int twice(int x) {
                    if (x > 100) {
                        return -1;
                    }
                    return 2 * x;
                }
                int main(void) {
                    printf("%d\\n", twice(3));
                    return 0;
                }
                """);
        Tools.run(dir, "gcc", "--coverage", "-O0", "-o", "prog", "prog.c").orFail("gcc");
        Tools.run(dir, "./prog").orFail("prog");
        Tools.run(
                        dir,
                        "lcov",
                        "--quiet",
                        "--capture",
                        "--directory",
                        ".",
                        "--rc",
                        "lcov_branch_coverage=1",
                        "--output-file",
                        "cov.info")
                .orFail("lcov");
        CoverageReport r = read(dir.resolve("cov.info"));
        assertThat(r.format()).isEqualTo("lcov");
        FileCoverage f = file(r, "/prog.c");
        assertThat(f.missed()).isEqualTo(LineSet.of(4));
        assertThat(f.covered().contains(6)).isTrue();
        assertThat(f.covered().contains(9)).isTrue();
        assertThat(f.branches()).isEqualTo(2);
        assertThat(f.branchesCovered()).isEqualTo(1);
    }

    @Test
    void jacocoXmlFromTheAgentIsRead() throws Exception {
        Path src = Files.createDirectories(dir.resolve("src/demo"));
        Files.writeString(src.resolve("Calc.java"), """
                package demo;

                public class Calc {
                    static int sign(int x) {
                        if (x < 0) {
                            return -1;
                        }
                        return 1;
                    }

                    public static void main(String[] args) {
                        System.out.println(sign(5));
                    }
                }
                """);
        Path classes = Files.createDirectories(dir.resolve("classes"));
        assertThat(ToolProvider.getSystemJavaCompiler()
                        .run(
                                null,
                                null,
                                null,
                                "-g",
                                "-d",
                                classes.toString(),
                                src.resolve("Calc.java").toString()))
                .isZero();
        String agent = List.of(System.getProperty("java.class.path").split(File.pathSeparator)).stream()
                .filter(p -> p.contains("org.jacoco.agent") && p.endsWith("runtime.jar"))
                .findFirst()
                .orElseThrow();
        Path exec = dir.resolve("jacoco.exec");
        Tools.run(
                        dir,
                        null,
                        Map.of(),
                        List.of(
                                Path.of(System.getProperty("java.home"), "bin", "java")
                                        .toString(),
                                "-javaagent:" + agent + "=destfile=" + exec,
                                "-cp",
                                classes.toString(),
                                "demo.Calc"))
                .orFail("java with the agent");
        ExecFileLoader loader = new ExecFileLoader();
        loader.load(exec.toFile());
        CoverageBuilder builder = new CoverageBuilder();
        new Analyzer(loader.getExecutionDataStore(), builder).analyzeAll(classes.toFile());
        XMLFormatter xml = new XMLFormatter();
        IReportVisitor visitor = xml.createVisitor(new FileMultiReportOutput(dir.toFile()).createFile("jacoco.xml"));
        visitor.visitInfo(
                loader.getSessionInfoStore().getInfos(),
                loader.getExecutionDataStore().getContents());
        visitor.visitBundle(
                builder.getBundle("demo"),
                new DirectorySourceFileLocator(dir.resolve("src").toFile(), "UTF-8", 4));
        visitor.visitEnd();
        assertThat(Files.readString(dir.resolve("jacoco.xml"))).contains("<!DOCTYPE report");
        CoverageReport r = read(dir.resolve("jacoco.xml"));
        assertThat(r.format()).isEqualTo("jacoco");
        FileCoverage f = file(r, "demo/Calc.java");
        assertThat(f.path()).isEqualTo("demo/Calc.java");
        assertThat(f.missed())
                .isEqualTo(LineSet.of(3, 6)); // the implicit constructor (never called) and the negative branch
        assertThat(f.covered()).isEqualTo(LineSet.of(5, 8, 12, 13));
        assertThat(f.branches()).isEqualTo(2);
        assertThat(f.branchesCovered()).isEqualTo(1);
    }
}
