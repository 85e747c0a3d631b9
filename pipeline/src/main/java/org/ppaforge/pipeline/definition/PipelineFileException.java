package org.ppaforge.pipeline.definition;

/** A pipeline file that cannot be used: the message names the file, line and column, and what was expected there. */
public final class PipelineFileException extends IllegalArgumentException {
    private final String file;
    private final int line;
    private final int column;

    public PipelineFileException(String file, int line, int column, String problem) {
        super(file + ":" + line + ":" + column + ": " + problem);
        this.file = file;
        this.line = line;
        this.column = column;
    }

    public String file() {
        return file;
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }
}
