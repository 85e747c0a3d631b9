package org.ppaforge.server;

import io.undertow.util.ETag;
import io.undertow.util.MimeMappings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.regex.Pattern;
import org.ppaforge.common.Names;

/**
 * What a published tree's paths are and how their files are answered: which paths are tree paths (an archive, dists/ or
 * pool/, plain segments), the key path, content types, cache headers and strong ETags.
 */
final class TreePaths {
    private TreePaths() {}
    /** An archive name, then dists/ or pool/, then plain path segments (no dot files, no ..). */
    static final Pattern ARCHIVE_NAME = Names.ARCHIVE;

    /** A plain path segment of a tree: no dot files, no '..'. */
    static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_+~-][A-Za-z0-9_.+~%:-]*");

    static final Pattern KEY_PATH = Pattern.compile("^/(" + Names.ARCHIVE_RE + ")/key\\.asc$");

    static final MimeMappings MIME = MimeMappings.builder(true)
            .addMapping("gz", "application/gzip")
            .addMapping("xz", "application/x-xz")
            .addMapping("deb", "application/vnd.debian.binary-package")
            .addMapping("udeb", "application/vnd.debian.binary-package")
            .addMapping("dsc", "text/plain; charset=utf-8")
            .addMapping("gpg", "application/pgp-signature")
            .addMapping("asc", "application/pgp-keys")
            .build();

    /**
     * An archive name, then dists/ or pool/, then plain path segments (checked one by one: a pattern repeating a group
     * recurses once per segment, and a long path overflowed the stack).
     */
    static boolean isTreePath(String path) {
        String[] parts = path.split("/", -1);
        if (parts.length < 4
                || !parts[0].isEmpty()
                || !ARCHIVE_NAME.matcher(parts[1]).matches()
                || !(parts[2].equals("dists") || parts[2].equals("pool"))
                || path.contains("..")) {
            return false;
        }
        for (int i = 3; i < parts.length; i++) {
            if (!SEGMENT.matcher(parts[i]).matches()) {
                return false;
            }
        }
        return true;
    }

    /** A strong ETag from size and modification time: files are replaced by rename, never rewritten in place. */
    static ETag etag(Path file) {
        try {
            return etagOf(Files.readAttributes(file, BasicFileAttributes.class));
        } catch (IOException e) {
            return null;
        }
    }

    static ETag etagOf(BasicFileAttributes attrs) {
        return new ETag(
                false,
                Long.toHexString(attrs.lastModifiedTime().toMillis()) + "-" + Long.toHexString(attrs.size()) + "-"
                        + Long.toHexString(
                                attrs.fileKey() == null ? 0 : attrs.fileKey().hashCode()));
    }

    /** The content type of a published file, as the file handler's mappings give it. */
    static String contentType(String name, String path) {
        int dot = name.lastIndexOf('.');
        if (dot < 0) {
            return path.contains("/by-hash/") ? "application/octet-stream" : "text/plain; charset=utf-8";
        }
        String type = MIME.getMimeType(name.substring(dot + 1));
        return type == null ? "application/octet-stream" : type;
    }

    /** Release files change in place; everything else (by-hash, pool, index names) is replaced, not rewritten. */
    static String cacheControl(String path) {
        return path.contains("/by-hash/") || path.contains("/pool/") ? "max-age=86400" : "max-age=0, must-revalidate";
    }
}
