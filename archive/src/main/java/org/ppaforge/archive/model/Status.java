package org.ppaforge.archive.model;

import java.util.Locale;

/** A publication's state: published now, replaced by a newer version, or deleted. */
public enum Status {
    PUBLISHED,
    SUPERSEDED,
    DELETED;

    public String sql() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Status ofSql(String s) {
        return valueOf(s.toUpperCase(Locale.ROOT));
    }
}
