package org.ppaforge.debian.pool;

import org.ppaforge.debian.FormatException;
import org.ppaforge.debian.PackageName;

/**
 * The Debian pool layout: {@code pool/<component>/<prefix>/<source>/<file>}, where the
 * prefix is the source name's first letter, or its first four for {@code lib*} names.
 */
public final class PoolPath {
    private PoolPath() {}

    public static String prefix(String source) {
        PackageName.check(source, "source package");
        return source.startsWith("lib") && source.length() > 3 ? source.substring(0, 4) : source.substring(0, 1);
    }

    /** The directory of a source's files, e.g. {@code pool/main/libf/libfoo}. */
    public static String directory(String component, String source) {
        checkFileName(component, "component");
        return "pool/" + component + "/" + prefix(source) + "/" + source;
    }

    /** A file's full pool path, e.g. {@code pool/main/h/hello/hello_2.10-3_amd64.deb}. */
    public static String of(String component, String source, String fileName) {
        return directory(component, source) + "/" + checkFileName(fileName, "file");
    }

    /** The longest file name allowed: file systems stop at 255 bytes, and spool files add a prefix and a suffix. */
    public static final int MAX_FILE_NAME = 200;

    /**
     * Returns {@code name} when it is a plain file name as the Debian archive accepts it
     * (a letter or digit, then letters, digits and {@code _ . ~ + -}: no path separator,
     * no {@code ..}, no white space); otherwise throws naming it and the problem.
     */
    public static String checkFileName(String name, String what) {
        String problem = null;
        if (name == null || name.isEmpty()) {
            problem = "is empty";
        } else if (name.length() > MAX_FILE_NAME) {
            throw new FormatException(what + " name '" + name.substring(0, 40) + "...' is " + name.length()
                    + " characters long: at most " + MAX_FILE_NAME + " are allowed");
        } else if (name.indexOf('/') >= 0 || name.indexOf('\\') >= 0) {
            problem = "contains a path separator";
        } else if (name.contains("..")) {
            problem = "contains '..'";
        } else if (!isAlnum(name.charAt(0))) {
            problem = "does not start with a letter or digit";
        } else {
            for (int i = 1; i < name.length(); i++) {
                char c = name.charAt(i);
                if (!isAlnum(c) && "_.~+-".indexOf(c) < 0) {
                    problem = "contains the character '"
                            + (c < 0x20 ? String.format("\\x%02x", (int) c) : String.valueOf(c)) + "'";
                    break;
                }
            }
        }
        if (problem != null) {
            throw new FormatException(what + " name '" + name + "' " + problem + ": only plain file names are allowed");
        }
        return name;
    }

    private static boolean isAlnum(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }
}
