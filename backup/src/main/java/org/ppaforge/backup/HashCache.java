package org.ppaforge.backup;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The SHA-256 of each file as the last backup read it, with what identified the file then (size, modification time,
 * file key): a file that still looks the same is not read again. Kept in the data directory's {@code cache/} (never
 * backed up); losing it, or a stale line, costs a read, never a wrong backup, since a line is used only while all three
 * still match.
 */
final class HashCache {
    private final Path file;
    private final Map<String, String[]> old = new HashMap<>();
    private final Map<String, String> now = new ConcurrentHashMap<>(); // filled by several threads

    HashCache(Path file) {
        this.file = file;
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String[] f = line.split("\t");
                if (f.length == 5) {
                    old.put(f[0], f);
                }
            }
        } catch (IOException e) {
            // none yet, or unreadable: every file is read
        }
    }

    private static String[] identity(BasicFileAttributes a) {
        return new String[] {
            Long.toString(a.size()),
            Long.toString(a.lastModifiedTime().to(TimeUnit.NANOSECONDS)),
            String.valueOf(a.fileKey())
        };
    }

    /** The file's SHA-256 if it looks as it did, else null. */
    byte[] get(String rel, BasicFileAttributes a) {
        String[] f = old.get(rel);
        String[] id = identity(a);
        if (f == null || !f[1].equals(id[0]) || !f[2].equals(id[1]) || !f[3].equals(id[2])) {
            return null;
        }
        return HexFormat.of().parseHex(f[4]);
    }

    void put(String rel, BasicFileAttributes a, byte[] sha256) {
        String[] id = identity(a);
        now.put(rel, String.join("\t", rel, id[0], id[1], id[2], HexFormat.of().formatHex(sha256)));
    }

    /** Keeps what this backup saw (the files it did not see are forgotten). */
    void save() {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                for (String line : now.values()) {
                    w.write(line);
                    w.write('\n');
                }
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            // a cache: the next backup reads the files again
        }
    }
}
