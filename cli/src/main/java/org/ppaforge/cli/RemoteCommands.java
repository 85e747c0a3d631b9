package org.ppaforge.cli;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * Which commands run against a server, read from the commands themselves (no hand-kept list): every command with the
 * data directory options that is not {@link LocalOnly}, named as {@code archive create|list, include, ...} in help
 * order. Read from the annotations only when asked (a refusal, help), so a one-shot command builds nothing more.
 */
final class RemoteCommands {
    private RemoteCommands() {}

    static String list() {
        Map<String, List<String>> groups = new LinkedHashMap<>();
        for (Map.Entry<String, Class<?>> c : Main.commands().entrySet()) {
            collect(c.getKey(), c.getValue(), groups);
        }
        List<String> parts = new ArrayList<>();
        groups.forEach(
                (parent, leaves) -> parts.add(leaves.isEmpty() ? parent : parent + " " + String.join("|", leaves)));
        return String.join(", ", parts);
    }

    private static void collect(String name, Class<?> type, Map<String, List<String>> groups) {
        Command command = type.getAnnotation(Command.class);
        if (command == null) {
            return;
        }
        if (command.subcommands().length == 0) {
            if (remote(type)) {
                groups.computeIfAbsent(name, k -> new ArrayList<>());
            }
            return;
        }
        for (Class<?> sub : command.subcommands()) {
            Command s = sub.getAnnotation(Command.class);
            if (s != null && s.subcommands().length == 0 && remote(sub)) {
                groups.computeIfAbsent(name, k -> new ArrayList<>()).add(s.name());
            }
        }
    }

    /** Whether the command takes the data directory options and is not local only. */
    static boolean remote(Class<?> type) {
        if (LocalOnly.class.isAssignableFrom(type)) {
            return false;
        }
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (f.getType() == DataDir.class && f.isAnnotationPresent(Mixin.class)) {
                    return true;
                }
            }
        }
        return false;
    }
}
