package dev.jxdp.cli;

import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;

/** A wrong flag or argument: one line naming it, a pointer to --help, exit status 2. */
final class UsageErrorHandler implements IParameterExceptionHandler {
    @Override
    public int handleParseException(ParameterException e, String[] args) {
        return print(e.getCommandLine(), e.getMessage());
    }

    /** Says {@code message} as a usage error of {@code cmd} and returns its exit status, 2. */
    static int print(CommandLine cmd, String message) {
        // Some picocli messages (mutually exclusive options) already start with "Error: ".
        String m = message.startsWith("Error: ") ? message.substring(7) : message;
        cmd.getErr().println("Error: " + m + " (see '" + cmd.getCommandSpec().qualifiedName() + " --help')");
        cmd.getErr().flush();
        return 2;
    }
}
