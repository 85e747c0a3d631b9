package org.ppaforge.common;

import java.util.regex.Pattern;

/**
 * The name rules every module and front end shares: what an archive, a pipeline, a rebuild set, a series, an
 * architecture, a package, a git ref or a coverage project may be called. The {@code *_RE} strings are the same rules
 * for composing into route patterns.
 */
public final class Names {
    /** An archive: lowercase, digits, {@code . + -}, at most 63 characters (a path segment and a file name). */
    public static final String ARCHIVE_RE = "[a-z0-9][a-z0-9.+-]{0,62}";
    /** A pipeline or a rebuild set: like an archive, without {@code +}. */
    public static final String SET_RE = "[a-z0-9][a-z0-9.-]{0,62}";
    /** A series (codename) or a component: the archive rule. */
    public static final String SERIES_RE = ARCHIVE_RE;
    /** A Debian architecture name. */
    public static final String ARCHITECTURE_RE = "[a-z0-9][a-z0-9-]*";
    /** A Debian package name (Policy 5.6.1: at least two characters). */
    public static final String PACKAGE_RE = "[a-z0-9][a-z0-9+.-]+";
    /** A git branch or tag as ppaforge accepts it (and never with {@code ..}: see {@link #isGitRef}). */
    public static final String GIT_REF_RE = "[A-Za-z0-9][A-Za-z0-9._/-]*";
    /** A coverage project. */
    public static final String PROJECT_RE = "[A-Za-z0-9][A-Za-z0-9._+-]{0,99}";

    public static final Pattern ARCHIVE = Pattern.compile(ARCHIVE_RE);
    public static final Pattern SET = Pattern.compile(SET_RE);
    public static final Pattern SERIES = Pattern.compile(SERIES_RE);
    public static final Pattern ARCHITECTURE = Pattern.compile(ARCHITECTURE_RE);
    public static final Pattern PACKAGE = Pattern.compile(PACKAGE_RE);
    public static final Pattern PROJECT = Pattern.compile(PROJECT_RE);
    private static final Pattern GIT_REF = Pattern.compile(GIT_REF_RE);

    private Names() {}

    /** Whether {@code name} is a whole match of {@code rule}; {@code null} is not. */
    public static boolean is(Pattern rule, String name) {
        return name != null && rule.matcher(name).matches();
    }

    /** A branch or tag: the pattern, and no {@code ..} (no way up a ref path). */
    public static boolean isGitRef(String ref) {
        return ref != null && GIT_REF.matcher(ref).matches() && !ref.contains("..");
    }
}
