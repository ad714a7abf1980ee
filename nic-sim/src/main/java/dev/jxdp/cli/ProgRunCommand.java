package dev.jxdp.cli;

import dev.jxdp.exec.Engine;
import dev.jxdp.exec.ExecutionException;
import dev.jxdp.exec.Interpreter;
import dev.jxdp.hooks.Network;
import dev.jxdp.hooks.PacketHelpers;
import dev.jxdp.hooks.ProgTestRun;
import dev.jxdp.hooks.TestRunException;
import dev.jxdp.jit.Jit;
import dev.jxdp.load.LoadedObject;
import dev.jxdp.load.LoadedProgram;
import dev.jxdp.obj.ObjectSpec;
import dev.jxdp.obj.ProgramSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code jxdp prog run FILE [--name N|--section S] data_in FILE [data_out FILE [data_size_out L]]
 * [ctx_in FILE [ctx_out FILE [ctx_size_out M]]] [repeat N]}: BPF_PROG_TEST_RUN in jxdp, in the shape of
 * {@code bpftool prog run PROG ...}, so that the two can be swapped: the same words, the same
 * "Return value: R, duration (average): Dns" line (bpftool's "duration: Dns" for one run), the same
 * data_out and ctx_out files (or hex dumps for "-"), and the same errors ("Error: failed to run program:
 * Invalid argument", here with the reason). Maps start from the object's initial state, or from
 * {@code --maps}; {@code --kernel} runs the same through the kernel and prints both.
 */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run a program of an eBPF object on a frame, as 'bpftool prog run' runs a loaded one (BPF_PROG_TEST_RUN).",
        footer = {"", "Words after FILE are bpftool's: data_in FILE [data_out FILE [data_size_out L]] "
                + "[ctx_in FILE [ctx_out FILE [ctx_size_out M]]] [repeat N]; FILE '-' is standard input or a hex dump on standard output."})
final class ProgRunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "An ELF object built for BPF.")
    Path file;

    @Parameters(index = "1..*", paramLabel = "ARGS", description = "data_in FILE and the rest of bpftool's words.")
    List<String> words = new ArrayList<>();

    @Option(names = "--name", paramLabel = "N", description = "The program to run (its function name).")
    String name;

    @Option(names = "--section", paramLabel = "S", description = "The program to run, by ELF section.")
    String section;

    @Option(names = "--maps", paramLabel = "[NAME=]FILE",
            description = "Initial map contents: NAME=FILE with 'map dump -j' output of map NAME, or FILE with {\"NAME\": [entries]}. Repeatable.")
    List<String> maps = new ArrayList<>();

    @Option(names = "--histogram", description = "Also print the p50, p99 and p99.9 of the runs' times (ns).")
    boolean histogram;

    @Option(names = "--kernel", description = "Run the same through the kernel (bpftool prog loadall + prog run) and print both; the kernel's data_out and ctx_out go to FILE.kernel.")
    boolean kernel;

    @Option(names = "--interpret", description = "Use the reference interpreter instead of the JIT.")
    boolean interpret;

    @Mixin
    LoadArgs load;

    @Override
    public Integer call() throws Exception {
        RunArgs args = RunArgs.parse(spec.commandLine(), words);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ObjectSpec object = load.load(file);
        ProgramSpec chosen = choose(object);
        byte[] dataIn = read(args.dataIn(), "data_in");
        byte[] ctxIn = args.ctxIn() == null ? null : read(args.ctxIn(), "ctx_in");
        MapsFile initial = MapsFile.read(maps);
        Engine engine = interpret ? new Interpreter() : new Jit();
        ProgTestRun.Input input = new ProgTestRun.Input(dataIn, ctxIn, ctxIn != null, args.dataSizeOut(), args.ctxSizeOut(),
                args.repeat(), histogram);
        ProgTestRun.Result result = null;
        String refused = null;
        try (LoadedObject o = LoadedObject.load(object, LoadedObject.Options.defaults().withEngine(engine).withProvider(PacketHelpers.INSTANCE))) {
            initial.apply(o);
            LoadedProgram p = o.program(chosen.name());
            try {
                result = ProgTestRun.run(p, input, Network.loopback());
            } catch (TestRunException e) {
                refused = "failed to run program: " + e.strerror() + " (" + e.getMessage() + ")";
            } catch (ExecutionException e) {
                throw new IllegalStateException("program " + p.name() + " faulted at " + e.getMessage());
            }
        }
        if (!kernel) {
            if (refused != null) {
                throw new IllegalArgumentException(refused);
            }
            print(out, args, result, "");
            return 0;
        }
        return compareWithKernel(out, err, args, object, chosen, dataIn, ctxIn, initial, result, refused);
    }

    /**
     * The program --name and --section (both, if both are given) pick, or the object's only one. Never
     * one of several: a section may hold more than one program (libbpf's "xdp" for each of a tail-call
     * chain), and running whichever came first would answer for a program the user did not mean.
     */
    private ProgramSpec choose(ObjectSpec object) {
        List<ProgramSpec> ps = object.programs();
        if (name == null && section == null) {
            if (ps.size() == 1) {
                return ps.getFirst();
            }
            throw new IllegalArgumentException(file + " has " + ps.size() + " programs (" + names(ps) + "): choose one with --name or --section");
        }
        List<ProgramSpec> matching = ps.stream()
                .filter(p -> (name == null || p.name().equals(name)) && (section == null || p.section().equals(section))).toList();
        if (matching.isEmpty()) {
            throw new IllegalArgumentException("no program" + (name != null ? " named '" + name + "'" : "")
                    + (section != null ? " in section '" + section + "'" : "") + " in " + file + " (programs: " + names(ps) + ")");
        }
        if (matching.size() > 1) {
            throw new IllegalArgumentException(file + " section " + section + " has " + matching.size() + " programs ("
                    + String.join(", ", matching.stream().map(ProgramSpec::name).toList()) + "): choose one with --name");
        }
        return matching.getFirst();
    }

    private static String names(List<ProgramSpec> ps) {
        return String.join(", ", ps.stream().map(p -> p.name() + " in " + p.section()).toList());
    }

    private byte[] read(String path, String what) throws IOException {
        if (path.equals("-")) {
            Main main = (Main) spec.root().userObject();
            return main.stdin.readAllBytes();
        }
        return InputFiles.read(Path.of(path), what);
    }

    /** bpftool's output: data_out and ctx_out (files, or hex dumps for "-"), then the result line. */
    private void print(PrintWriter out, RunArgs args, ProgTestRun.Result r, String who) throws IOException {
        Main.Output mode = Main.output(spec);
        if (mode != Main.Output.PLAIN) {
            Map<String, Object> json = new LinkedHashMap<>();
            if ("-".equals(args.dataOut())) {
                json.put("data_out", unsigned(r.dataOut()));
            }
            if ("-".equals(args.ctxOut()) && r.ctxOut() != null) {
                json.put("ctx_out", unsigned(r.ctxOut()));
            }
            writeFiles(args, r.dataOut(), r.ctxOut(), "");
            json.put("retval", r.retval());
            json.put("duration", r.durationNs());
            if (r.latency() != null) {
                json.put("p50", r.latency().getValueAtPercentile(50));
                json.put("p99", r.latency().getValueAtPercentile(99));
                json.put("p99.9", r.latency().getValueAtPercentile(99.9));
            }
            Json.print(out, json, mode == Main.Output.PRETTY_JSON);
            return;
        }
        if ("-".equals(args.dataOut())) {
            HexDump.print(out, r.dataOut());
        }
        if ("-".equals(args.ctxOut()) && r.ctxOut() != null) {
            HexDump.print(out, r.ctxOut());
        }
        writeFiles(args, r.dataOut(), r.ctxOut(), "");
        out.println(who + line(r.retval(), r.durationNs(), args.repeat()));
        if (r.latency() != null) {
            out.println(who + percentiles(r.latency()));
        }
    }

    static String line(long retval, long duration, int repeat) {
        return "Return value: " + retval + ", duration" + (repeat > 1 ? " (average)" : "") + ": " + duration + "ns";
    }

    static String percentiles(Histogram h) {
        return "Latency: p50 " + h.getValueAtPercentile(50) + "ns, p99 " + h.getValueAtPercentile(99) + "ns, p99.9 "
                + h.getValueAtPercentile(99.9) + "ns, max " + h.getMaxValue() + "ns (" + h.getTotalCount() + " runs)";
    }

    private static int[] unsigned(byte[] b) {
        int[] u = new int[b.length];
        for (int i = 0; i < b.length; i++) {
            u[i] = b[i] & 0xff;
        }
        return u;
    }

    private static void writeFiles(RunArgs args, byte[] data, byte[] ctx, String suffix) throws IOException {
        if (args.dataOut() != null && !args.dataOut().equals("-") && data != null) {
            Files.write(Path.of(args.dataOut() + suffix), data);
        }
        if (args.ctxOut() != null && !args.ctxOut().equals("-") && ctx != null) {
            Files.write(Path.of(args.ctxOut() + suffix), ctx);
        }
    }

    // ---- --kernel

    private int compareWithKernel(PrintWriter out, PrintWriter err, RunArgs args, ObjectSpec object, ProgramSpec chosen, byte[] dataIn,
            byte[] ctxIn, MapsFile initial, ProgTestRun.Result mine, String refused) throws IOException {
        String reason = KernelProgRun.unavailableReason();
        if (reason != null) {
            throw new IllegalStateException("--kernel: the kernel cannot run it here: " + reason);
        }
        if (mine != null) {
            print(out, args, mine, "jxdp:   ");
        } else {
            out.println("jxdp:   Error: " + refused);
        }
        KernelProgRun.Outcome k;
        try (KernelProgRun kr = new KernelProgRun(file, object, chosen, loadallArgs())) {
            kr.apply(object, initial);
            k = kr.run(chosen.name(), args, dataIn, ctxIn);
        }
        if (k.error() != null || mine == null) {
            out.println("kernel: " + (k.error() != null ? k.error() : line(k.retval(), k.duration(), args.repeat())));
            if (mine != null) {
                err.println("Error: jxdp ran the program and the kernel did not");
            } else if (k.error() == null) {
                err.println("Error: the kernel ran the program and jxdp did not");
            } else {
                boolean same = refused.startsWith(k.error().replaceFirst("^Error: ", ""));
                err.println("Error: " + refused + (same ? "; the kernel refused it too" : "; the kernel said: " + k.error()));
            }
            return 1;
        }
        out.println("kernel: " + line(k.retval(), k.duration(), args.repeat()));
        writeFiles(args, k.dataOut(), k.ctxOut(), ".kernel");
        List<String> differences = new ArrayList<>();
        if (k.retval() != mine.retval()) {
            differences.add("retval");
        }
        out.println(compare("data_out", mine.dataOut(), k.dataOut(), differences));
        if (ctxIn != null) {
            out.println(compare("ctx_out", mine.ctxOut(), k.ctxOut(), differences));
        }
        if (!differences.isEmpty()) {
            err.println("Error: jxdp and the kernel differ in " + String.join(", ", differences));
            return 1;
        }
        return 0;
    }

    private static String compare(String what, byte[] mine, byte[] theirs, List<String> differences) {
        if (Arrays.equals(mine, theirs)) {
            return what + ": the same " + mine.length + " bytes";
        }
        differences.add(what);
        int at = Arrays.mismatch(mine, theirs);
        String detail = at >= Math.min(mine.length, theirs.length)
                ? "jxdp " + mine.length + " bytes, kernel " + theirs.length
                : String.format("first at byte %d: jxdp 0x%02x, kernel 0x%02x", at, mine[at] & 0xff, theirs[at] & 0xff);
        return what + ": differs (" + detail + ")";
    }

    private List<String> loadallArgs() {
        if (load.types.size() == 1 && !load.types.getFirst().contains("=")) {
            String t = LoadArgs.type(load.types.getFirst()).bpftoolName();
            return List.of("type", t.equals("sched_cls") ? "classifier" : t.equals("sched_act") ? "action" : t);
        }
        return List.of();
    }
}
