package dev.jxdp.cli;

import java.io.InputStream;
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
        subcommands = {ProgCommand.class, MapCommand.class, VerifyCommand.class, DiffCommand.class, RunRawCommand.class,
                ReplayCommand.class, SwitchCommand.class, StatsCommand.class, BenchCommand.class, CommandLine.HelpCommand.class})
public final class Main {
    /** Standard input of this run; commands that read it ask their parent for it. */
    final InputStream stdin;

    private Main(InputStream stdin) {
        this.stdin = stdin;
    }

    /** bpftool's -j: JSON output. Accepted before or after the subcommand. */
    @Option(names = {"-j", "--json"}, scope = ScopeType.INHERIT, description = "Print JSON (as bpftool -j).")
    boolean json;

    /** bpftool's -p: pretty-printed JSON (implies -j). */
    @Option(names = {"-p", "--pretty"}, scope = ScopeType.INHERIT, description = "Print pretty JSON (as bpftool -p).")
    boolean pretty;

    /**
     * What the switch and ports log (a port down, an MTU changed, a tap attached to), one line each on
     * stderr as other command-line tools write them ("jxdp: WARNING: port a (tap a0) is down: ..."),
     * not the JDK's default two lines with a date and the logging class. -D on the command line wins.
     */
    static final String LOG_FORMAT = "jxdp: %4$s: %5$s%6$s%n";

    public static void main(String[] args) {
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", LOG_FORMAT);
        }
        System.exit(run(System.in, new PrintWriter(System.out), new PrintWriter(System.err), args));
    }

    /** Runs the command line and returns the exit status (0 ok, 1 failure, 2 usage error). */
    public static int run(InputStream in, PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new Main(in));
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler(new ErrorHandler());
        cli.setParameterExceptionHandler(new UsageErrorHandler());
        int status = cli.execute(args);
        out.flush();
        err.flush();
        return status;
    }

    /** The output mode the user chose, from any command of this command line. */
    static Output output(CommandLine.Model.CommandSpec spec) {
        Main main = (Main) spec.root().userObject();
        return main.pretty ? Output.PRETTY_JSON : main.json ? Output.JSON : Output.PLAIN;
    }

    enum Output { PLAIN, JSON, PRETTY_JSON }
}
