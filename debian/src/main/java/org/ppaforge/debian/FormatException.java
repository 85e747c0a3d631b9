package org.ppaforge.debian;

/**
 * Input that breaks a Debian format rule. The message always names the input
 * (a file name, a field, or the offending string) and the rule it breaks.
 */
public class FormatException extends RuntimeException {
    private final String source;
    private final int line;

    public FormatException(String message) {
        this(null, 0, message, null);
    }

    public FormatException(String source, String message) {
        this(source, 0, message, null);
    }

    public FormatException(String source, String message, Throwable cause) {
        this(source, 0, message, cause);
    }

    public FormatException(String source, int line, String message, Throwable cause) {
        super(describe(source, line, message), cause);
        this.source = source;
        this.line = line;
    }

    private static String describe(String source, int line, String message) {
        if (source == null) {
            return message;
        }
        return line > 0 ? source + ":" + line + ": " + message : source + ": " + message;
    }

    /** The file or input the error is in, or {@code null} when not known. */
    public String source() {
        return source;
    }

    /** The 1-based line number, or 0 when the error is not tied to a line. */
    public int line() {
        return line;
    }
}
