package org.ppaforge.common.sql;

/**
 * The few places where the SQL of SQLite and PostgreSQL differ and no common form exists. Everything else the stores
 * write is the subset both accept ({@code ON CONFLICT}, {@code RETURNING}, {@code CASE}, {@code COALESCE}).
 */
public enum Dialect {
    SQLITE,
    POSTGRESQL;

    /** {@code expr} (an ISO-8601 instant kept as text) as a value that orders as time, whatever its fraction digits. */
    public String time(String expr) {
        return this == SQLITE ? "julianday(" + expr + ")" : "CAST(" + expr + " AS timestamptz)";
    }

    /** The one-character string with code point {@code c}. */
    public String chr(int c) {
        return (this == SQLITE ? "char(" : "chr(") + c + ")";
    }
}
