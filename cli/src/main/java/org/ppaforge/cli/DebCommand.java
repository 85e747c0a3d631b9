package org.ppaforge.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.ppaforge.debian.control.Field;
import org.ppaforge.debian.deb.DebPackage;
import org.ppaforge.debian.deb.DebReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "deb",
        description = "Inspect binary packages (.deb).",
        mixinStandardHelpOptions = true,
        subcommands = DebCommand.Show.class)
final class DebCommand {

    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            description = {
                "Show a .deb's control fields, checksums (MD5, SHA1, SHA256, size), member compressions "
                        + "and file count, read in one pass.",
                "With --files, list the data member's paths too."
            },
            exitCodeListHeading = "%nExit status:%n",
            exitCodeList = {"0:shown", "2:a file is missing, corrupt, truncated or not a .deb (the message names it)"})
    static final class Show implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(arity = "1..*", paramLabel = "FILE", description = ".deb files")
        List<Path> files;

        @Option(names = "--json", description = "machine-readable output (an array, one object per file)")
        boolean json;

        @Option(names = "--files", description = "also list the paths in the data member")
        boolean listFiles;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            List<Map<String, Object>> all = new ArrayList<>();
            for (Path file : files) {
                DebPackage deb = DebReader.read(file);
                if (json) {
                    all.add(toJson(file, deb));
                } else {
                    printText(out, file, deb, files.size() > 1);
                }
            }
            if (json) {
                Json.print(out, all);
            }
            return ExitCodes.OK;
        }

        private Map<String, Object> toJson(Path file, DebPackage deb) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("file", file.toString());
            Map<String, String> control = new LinkedHashMap<>();
            for (Field f : deb.control().fields()) {
                control.put(f.name(), f.value());
            }
            m.put("control", control);
            var c = deb.checksums();
            m.put("size", c.size());
            m.put("md5", c.md5());
            m.put("sha1", c.sha1());
            m.put("sha256", c.sha256());
            m.put("controlCompression", deb.controlCompression().name().toLowerCase());
            m.put("dataCompression", deb.dataCompression().name().toLowerCase());
            m.put("fileCount", deb.fileCount());
            if (listFiles) {
                m.put("files", deb.dataEntries().stream().map(e -> e.path()).toList());
            }
            return m;
        }

        private void printText(PrintWriter out, Path file, DebPackage deb, boolean header) {
            if (header) {
                out.println("==> " + file + " <==");
            }
            out.print(deb.control());
            var c = deb.checksums();
            out.println("Size: " + c.size());
            out.println("MD5sum: " + c.md5());
            out.println("SHA1: " + c.sha1());
            out.println("SHA256: " + c.sha256());
            out.println("Members: control.tar" + deb.controlCompression().suffix() + ", data.tar"
                    + deb.dataCompression().suffix());
            out.println("Files: " + deb.fileCount() + " (" + deb.dataEntries().size() + " entries)");
            if (listFiles) {
                deb.dataEntries().forEach(e -> out.println(" " + e.path()));
            }
            if (header) {
                out.println();
            }
        }
    }
}
