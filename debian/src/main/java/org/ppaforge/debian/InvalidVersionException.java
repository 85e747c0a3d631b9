package org.ppaforge.debian;

/** A string that is not a valid Debian version, with the rule it breaks (dpkg's wording). */
public final class InvalidVersionException extends FormatException {
    private final String version;
    private final String rule;

    InvalidVersionException(String version, String rule) {
        super("invalid version '" + version + "': " + rule);
        this.version = version;
        this.rule = rule;
    }

    public String version() {
        return version;
    }

    public String rule() {
        return rule;
    }
}
