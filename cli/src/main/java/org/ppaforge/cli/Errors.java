package org.ppaforge.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import org.ppaforge.common.ForgeException;
import org.ppaforge.debian.FormatException;
import picocli.CommandLine;

/** Turns exceptions into one clear line on stderr and a documented exit status. */
final class Errors implements CommandLine.IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
        cli.getErr().println("ppa: " + message(e));
        if (System.getenv("PPAFORGE_DEBUG") != null) {
            e.printStackTrace(cli.getErr());
        }
        return exitCode(e);
    }

    static String message(Throwable e) {
        if (e instanceof NoSuchFileException n) {
            return n.getFile() + ": no such file";
        }
        if (e instanceof UncheckedIOException u && u.getCause() != null) {
            return message(u.getCause());
        }
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m;
    }

    static int exitCode(Throwable e) {
        if (e instanceof ForgeException a) {
            return switch (a.kind()) {
                case INVALID, NOT_FOUND, TOO_LARGE -> ExitCodes.INVALID;
                case REFUSED, UNAUTHORIZED, FORBIDDEN -> ExitCodes.REFUSED;
                case BUSY, IO -> ExitCodes.ERROR;
            };
        }
        if (e instanceof FormatException
                || e instanceof IllegalArgumentException
                || e instanceof CommandLine.ParameterException) {
            return ExitCodes.INVALID;
        }
        if (e instanceof IOException || e instanceof UncheckedIOException) {
            return e instanceof NoSuchFileException ? ExitCodes.INVALID : ExitCodes.ERROR;
        }
        return ExitCodes.ERROR;
    }
}
