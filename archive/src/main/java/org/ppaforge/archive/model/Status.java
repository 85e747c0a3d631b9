package org.ppaforge.archive.model;

/** A publication's state: published now, replaced by a newer version, or deleted. */
public enum Status {
    PUBLISHED, SUPERSEDED, DELETED;

    public String sql() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Status ofSql(String s) {
        return valueOf(s.toUpperCase(java.util.Locale.ROOT));
    }
}
