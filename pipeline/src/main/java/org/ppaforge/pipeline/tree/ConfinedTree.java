package org.ppaforge.pipeline.tree;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import org.ppaforge.debian.FormatException;

/**
 * A work tree holding what an uploader wrote (a commit's files, what a check left), read and written without ever
 * following a link out of it: every path is taken component by component with {@code NOFOLLOW_LINKS}, a symlink met on
 * the way is refused rather than followed, files are opened with {@code NOFOLLOW_LINKS}, and a symlink that the tree
 * itself holds may not point outside it (absolute, or climbing above the root with {@code ..}). A hard link (a file with
 * more than one name, which could be a host file's other name) is never read out.
 *
 * <p>The checks are made while nothing of the uploader's runs (the source step runs no uploader code on the host; the
 * testbed's processes have ended before its files are collected), so the tree cannot change between check and use.
 */
public final class ConfinedTree {
    /** Linux's PATH_MAX: no tool could unpack a longer path, and tar writers spend quadratic time on one. */
    public static final int MAX_PATH = 4096;

    private final Path root;

    public ConfinedTree(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    /** Refused: names the path and what is wrong with it. */
    public static final class Refused extends FormatException {
        public Refused(String message) {
            super(message);
        }
    }

    /**
     * Refuses a symlink at {@code path} (relative to the tree's root) whose {@code target} is absolute or leaves the tree.
     */
    public static void checkLink(String path, String target) {
        if (target.isEmpty() || target.indexOf('\0') >= 0) {
            throw new Refused("the symlink '" + path + "' has an empty or invalid target");
        }
        if (target.startsWith("/")) {
            throw new Refused("the symlink '" + path + "' points to '" + target
                    + "', outside the tree (an absolute target): " + "links that leave the tree are refused");
        }
        Path parent = Path.of(path).getParent();
        Path resolved = (parent == null ? Path.of("") : parent).resolve(target).normalize();
        if (resolved.startsWith("..") || resolved.isAbsolute()) {
            throw new Refused("the symlink '" + path + "' points to '" + target
                    + "', outside the tree: links that leave the " + "tree are refused");
        }
    }

    /**
     * The path of {@code relative} in the tree; every component that exists must be a directory or (the last) a file,
     * never a symlink. Refuses absolute paths and {@code ..}.
     */
    public Path resolve(String relative) {
        if (relative == null || relative.isEmpty() || relative.startsWith("/") || relative.indexOf('\0') >= 0) {
            throw new Refused("'" + relative + "' is not a path inside the tree");
        }
        if (relative.length() > MAX_PATH) {
            throw new Refused("a path of " + relative.length() + " bytes (at most " + MAX_PATH + ", PATH_MAX): "
                    + relative.substring(0, 60) + "...");
        }
        Path p = root;
        String[] parts = relative.split("/+");
        StringBuilder seen = new StringBuilder();
        for (String part : parts) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                throw new Refused("'" + relative + "' climbs out of the tree with '..'");
            }
            p = p.resolve(part);
            seen.append(seen.length() == 0 ? "" : "/").append(part);
            if (Files.isSymbolicLink(p)) {
                String target;
                try {
                    target = Files.readSymbolicLink(p).toString();
                } catch (IOException e) {
                    target = "?";
                }
                throw new Refused(
                        "'" + seen + "' is a symlink (to '" + target + "'): ppaforge does not follow links in a work "
                                + "tree" + (seen.length() < relative.length() ? " (reaching '" + relative + "')" : ""));
            }
        }
        return p;
    }

    /** Writes a file (its directories made as needed), never through a link. */
    public void write(String relative, byte[] data, boolean executable) throws IOException {
        Path file = resolve(relative);
        makeParents(file);
        try (OutputStream out = Files.newOutputStream(
                file,
                StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS)) {
            out.write(data);
        }
        if (executable) {
            file.toFile().setExecutable(true, false);
        }
    }

    /** Makes a symlink that stays inside the tree. */
    public void link(String relative, String target) throws IOException {
        checkLink(relative, target);
        Path file = resolve(relative);
        makeParents(file);
        Files.deleteIfExists(file);
        Files.createSymbolicLink(file, Path.of(target));
    }

    private void makeParents(Path file) throws IOException {
        Path rel = root.relativize(file.getParent());
        Path p = root;
        for (Path part : rel) {
            p = p.resolve(part);
            if (Files.isSymbolicLink(p)) {
                throw new Refused("'" + root.relativize(p) + "' is a symlink: ppaforge does not write through links");
            }
            if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectory(p);
            }
        }
    }

    /**
     * Copies a regular file of the tree to {@code target} (outside it). Refused: a path through or to a symlink, anything
     * but a regular file, a file with several names (a hard link).
     */
    public void copyOut(String relative, Path target) throws IOException {
        Path file = resolve(relative);
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!a.isRegularFile()) {
            throw new Refused("'" + relative + "' is not a regular file");
        }
        Object links = Files.getAttribute(file, "unix:nlink", LinkOption.NOFOLLOW_LINKS);
        if (links instanceof Integer n && n > 1) {
            throw new Refused(
                    "'" + relative + "' has " + n + " names (a hard link): only a file of the tree's own is kept");
        }
        Files.createDirectories(target.getParent());
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS);
                OutputStream out = Files.newOutputStream(target)) {
            in.transferTo(out);
        }
    }

    /** Whether {@code relative} names nothing (without following links). */
    public boolean missing(String relative) {
        return !Files.exists(root.resolve(relative).normalize(), LinkOption.NOFOLLOW_LINKS);
    }
}
