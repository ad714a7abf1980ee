package dev.jxdp.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns any failure of a command into one line on stderr ("Error: ...", as bpftool prints) and exit
 * status 1 (a {@link UsageException}: 2, as a wrong flag). Bad input is the user's problem to fix, so no stack trace; set JXDP_DEBUG=1 to get one.
 */
final class ErrorHandler implements IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parsed) {
        if (e instanceof UsageException u) {
            return UsageErrorHandler.print(cmd, u.getMessage());
        }
        cmd.getErr().println("Error: " + message(e));
        if (System.getenv("JXDP_DEBUG") != null) {
            e.printStackTrace(cmd.getErr());
        }
        cmd.getErr().flush();
        return 1;
    }

    static String message(Throwable e) {
        return switch (e) {
            // the JDK's carry no reason; ours may say more (OutputFiles: which directory is missing)
            case NoSuchFileException n -> n.getFile() + ": " + (n.getReason() != null ? n.getReason() : "no such file");
            case AccessDeniedException a -> a.getFile() + ": permission denied";
            // the JDK's own (writing into a directory: "Is a directory") in the same case as ours
            case FileSystemException f when f.getFile() != null && f.getOtherFile() == null && f.getReason() != null && !f.getReason().isEmpty() ->
                    f.getFile() + ": " + Character.toLowerCase(f.getReason().charAt(0)) + f.getReason().substring(1);
            case IOException io -> io.getMessage() == null ? io.toString() : io.getMessage();
            default -> e.getMessage() == null ? e.toString() : e.getMessage();
        };
    }
}
