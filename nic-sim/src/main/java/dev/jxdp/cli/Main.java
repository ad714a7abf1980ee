package dev.jxdp.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The {@code jxdp} command line. Subcommands follow bpftool's shapes where users switch between the two. */
@Command(
        name = "jxdp",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = "Userspace XDP/tc data plane: runs kernel eBPF objects on the JVM.",
        subcommands = {ProgCommand.class, MapCommand.class, CommandLine.HelpCommand.class})
public final class Main {

    /** bpftool's -j: JSON output. Accepted before or after the subcommand. */
    @Option(names = {"-j", "--json"}, scope = ScopeType.INHERIT, description = "Print JSON (as bpftool -j).")
    boolean json;

    /** bpftool's -p: pretty-printed JSON (implies -j). */
    @Option(names = {"-p", "--pretty"}, scope = ScopeType.INHERIT, description = "Print pretty JSON (as bpftool -p).")
    boolean pretty;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit status (0 ok, 1 failure, 2 usage error). */
    public static int run(String... args) {
        return run(null, null, args);
    }

    /** As {@link #run(String...)}, writing to the given streams (null: stdout and stderr). */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new Main());
        if (out != null) {
            cli.setOut(out);
        }
        if (err != null) {
            cli.setErr(err);
        }
        cli.setExecutionExceptionHandler(new ErrorHandler());
        cli.setParameterExceptionHandler(new UsageErrorHandler());
        return cli.execute(args);
    }

    /** The output mode the user chose, from any command of this command line. */
    static Output output(CommandLine.Model.CommandSpec spec) {
        Main main = (Main) spec.root().userObject();
        return main.pretty ? Output.PRETTY_JSON : main.json ? Output.JSON : Output.PLAIN;
    }

    enum Output { PLAIN, JSON, PRETTY_JSON }
}
