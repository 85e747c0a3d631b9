package org.ppaforge.cli;

/** The exit statuses every {@code ppa} command uses (listed in {@code ppa --help}). */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int FOUND = 1;
    public static final int INVALID = 2;
    public static final int REFUSED = 3;
    public static final int ERROR = 4;

    private ExitCodes() {}
}
