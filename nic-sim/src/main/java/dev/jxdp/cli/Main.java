package dev.jxdp.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code jxdp} command line. Subcommands follow bpftool's shapes where users switch between the two. */
@Command(
        name = "jxdp",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = "Userspace XDP/tc data plane: runs kernel eBPF objects on the JVM.",
        subcommands = {ProgCommand.class, CommandLine.HelpCommand.class})
public final class Main {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit status (0 ok, 1 failure, 2 usage error). */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler(new ErrorHandler());
        cli.setParameterExceptionHandler(new UsageErrorHandler());
        return cli.execute(args);
    }
}
