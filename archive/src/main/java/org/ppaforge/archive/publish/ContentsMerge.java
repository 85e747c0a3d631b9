package org.ppaforge.archive.publish;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Contents lists each path once, with every package that ships it comma-joined ({@code usr/bin/x
 * utils/one,admin/two}). Chunks are rendered per package, so a path shipped by two packages comes out as two lines;
 * this pass joins them. When no path repeats (the usual case) the chunks, and their cached compressed forms, are
 * kept as they are.
 */
final class ContentsMerge {
    private ContentsMerge() {}

    static List<Chunk> merge(List<Chunk> chunks) {
        Set<String> seen = new HashSet<>();
        boolean repeated = false;
        for (Chunk c : chunks) {
            for (String line : lines(c)) {
                if (!seen.add(path(line))) {
                    repeated = true;
                    break;
                }
            }
            if (repeated) {
                break;
            }
        }
        if (!repeated) {
            return chunks;
        }
        Map<String, StringBuilder> locations = new LinkedHashMap<>();
        for (Chunk c : chunks) {
            for (String line : lines(c)) {
                String path = path(line);
                String location = line.substring(line.lastIndexOf(' ') + 1);
                StringBuilder sb = locations.get(path);
                if (sb == null) {
                    locations.put(path, new StringBuilder(location));
                } else if (!(("," + sb + ",").contains("," + location + ","))) {
                    sb.append(',').append(location);
                }
            }
        }
        StringBuilder out = new StringBuilder();
        locations.forEach((path, where) -> out.append(path)
                .append(path.length() < 60 ? " ".repeat(60 - path.length()) : "    ")
                .append(where)
                .append('\n'));
        return List.of(Chunk.of(out.toString().getBytes(StandardCharsets.UTF_8)));
    }

    private static List<String> lines(Chunk c) {
        return new String(c.plain(), StandardCharsets.UTF_8)
                .lines()
                .filter(l -> !l.isEmpty())
                .toList();
    }

    /** A line's path: all before the last run of spaces (paths may hold spaces, locations do not). */
    private static String path(String line) {
        return line.substring(0, line.lastIndexOf(' ')).stripTrailing();
    }
}
