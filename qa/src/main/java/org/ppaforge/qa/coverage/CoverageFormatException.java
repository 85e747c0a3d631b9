package org.ppaforge.qa.coverage;

/** A coverage file that cannot be read: unknown format, malformed, or over a limit; the message says which and where. */
public final class CoverageFormatException extends Exception {
    public CoverageFormatException(String message) {
        super(message);
    }

    public CoverageFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
