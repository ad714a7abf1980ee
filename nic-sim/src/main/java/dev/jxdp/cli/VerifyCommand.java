package dev.jxdp.cli;

import dev.jxdp.diff.JxdpLinkedObject;
import dev.jxdp.diff.KernelVerdict;
import dev.jxdp.kernel.BpfAvailability;
import dev.jxdp.obj.ObjectSpec;
import dev.jxdp.obj.ProgramSpec;
import dev.jxdp.obj.ProgramType;
import dev.jxdp.verifier.AsmProgram;
import dev.jxdp.verifier.VerifiedProgram;
import dev.jxdp.verifier.Verifier;
import dev.jxdp.verifier.VerifierException;
import dev.jxdp.verifier.VerifierInput;
import dev.jxdp.verifier.VerifierOptions;
import dev.jxdp.verifier.VerifierStats;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code jxdp verify FILE}: runs jxdp's verifier, which decides as the kernel's does (Linux 6.18,
 * privileged loader), on the programs of an ELF object or on a hand-assembled {@code .s} file
 * (programs/verifier/README.md). Accepted programs print the kernel's statistics line; a refused one
 * prints the end of the verifier log (the path that failed, as the kernel's level-1 log shows it) and
 * the command exits 1 with {@code Error: NAME: insn N: MESSAGE}. {@code --log-level 2} prints the
 * register state at every instruction, as the kernel's level 2.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Verify the programs of an eBPF object (or a .s file) as the kernel's verifier would; exit 0 if all are accepted.")
final class VerifyCommand implements Callable<Integer> {
    /** Lines of a refused program's log printed at the default level. */
    static final int TAIL = 12;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "An ELF object built for BPF, or a .s file of the verifier corpus format.")
    Path file;

    @Option(names = "--section", paramLabel = "S", description = "Only the programs of section S.")
    String section;

    @Option(names = "--name", paramLabel = "N", description = "Only program N.")
    String name;

    @Option(names = "--log-level", paramLabel = "N",
            description = "0: the error only (default); 1: the instructions of the failing path; 2: the state at every instruction.")
    int logLevel;

    @Option(names = "--unprivileged", description = "Apply the unprivileged loader's rules (no loops, no pointer leaks, no uninitialised stack).")
    boolean unprivileged;

    @Option(names = "--kernel", description = "Also load the object into the kernel (bpftool prog loadall) and print both verifiers' verdicts side by side; exit 1 if they disagree.")
    boolean kernel;

    @Mixin
    LoadArgs load;

    @Override
    public Integer call() throws IOException {
        if (logLevel < 0 || logLevel > 2) {
            throw new UsageException("--log-level must be 0, 1 or 2, not " + logLevel);
        }
        VerifierOptions options = VerifierOptions.defaults().withLogLevel(logLevel).withPrivileged(!unprivileged);
        if (kernel && unprivileged) {
            throw new IllegalArgumentException("--kernel compares with a privileged load; drop --unprivileged");
        }
        List<Target> targets = targets();
        Map<String, String> mine = new LinkedHashMap<>();
        PrintWriter out = spec.commandLine().getOut();
        Main.Output mode = Main.output(spec);
        List<Map<String, Object>> json = new ArrayList<>();
        VerifierException refused = null;
        String refusedName = null;
        for (Target t : targets) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("name", t.name);
            row.put("type", t.type().bpftoolName());
            try {
                VerifiedProgram v = t.verify(options);
                mine.put(t.name, "accepted");
                row.put("verdict", "accepted");
                stats(row, v.stats());
                if (mode == Main.Output.PLAIN) {
                    if (logLevel > 0) {
                        out.print(v.log());
                    }
                    out.println(t.name + " (" + t.type().bpftoolName() + "): accepted");
                    out.println(v.stats().line());
                    out.println(v.stats().timeLine());
                }
            } catch (VerifierException e) {
                // Like libbpf: a load that failed without a log is repeated with one to show why.
                VerifierException withLog = logLevel > 0 ? e : retryWithLog(t, options, e);
                mine.put(t.name, "refused: " + e.getMessage());
                row.put("verdict", "refused");
                row.put("insn", e.insn());
                row.put("error", e.getMessage());
                if (e.stats() != null) {
                    stats(row, e.stats());
                }
                if (mode == Main.Output.PLAIN) {
                    out.println(t.name + " (" + t.type().bpftoolName() + "): refused");
                    out.println(logLevel > 0 ? withLog.log().stripTrailing() : withLog.logTail(TAIL));
                }
                if (refused == null) {
                    refused = e;
                    refusedName = t.name;
                }
            }
            json.add(row);
        }
        String disagreement = kernel ? sideBySide(out, mode, mine, json, targets) : null;
        if (mode != Main.Output.PLAIN) {
            Json.print(out, json, mode == Main.Output.PRETTY_JSON);
        }
        out.flush();
        if (disagreement != null) {
            throw new IllegalStateException(disagreement);
        }
        if (refused != null) {
            throw new IllegalStateException(refusedName + ": " + (refused.insn() >= 0 ? "insn " + refused.insn() + ": " : "")
                    + refused.getMessage());
        }
        return 0;
    }

    /**
     * The kernel's verdicts next to jxdp's (one line per program, or kernel_* fields in the JSON rows);
     * returns the first disagreement, or null.
     */
    private String sideBySide(PrintWriter out, Main.Output mode, Map<String, String> mine, List<Map<String, Object>> json,
            List<Target> targets) throws IOException {
        BpfAvailability a = BpfAvailability.checkWithBpftool();
        if (!a.usable()) {
            throw new IllegalStateException("--kernel: the kernel cannot load it here: " + a.reason());
        }
        Map<String, String> kernelSays = kernelVerdicts(targets);
        String disagreement = null;
        int row = 0;
        for (Map.Entry<String, String> m : mine.entrySet()) {
            String theirs = kernelSays.get(m.getKey());
            boolean known = !theirs.startsWith("not loaded");
            boolean agree = !known || m.getValue().startsWith("accepted") == theirs.startsWith("accepted");
            if (mode == Main.Output.PLAIN) {
                out.println(m.getKey() + ": jxdp " + m.getValue() + " | kernel " + theirs);
            } else {
                json.get(row).put("kernel_verdict", known ? (theirs.startsWith("accepted") ? "accepted" : "refused") : "not loaded");
                if (theirs.startsWith("refused: ")) {
                    json.get(row).put("kernel_error", theirs.substring("refused: ".length()));
                }
            }
            if (!agree && disagreement == null) {
                disagreement = m.getKey() + ": jxdp and the kernel disagree: jxdp " + m.getValue() + ", kernel " + theirs;
            }
            row++;
        }
        return disagreement;
    }

    /**
     * Each target's verdict in the kernel: "accepted", "refused: ERROR" or "not loaded (...)". An ELF
     * object goes through libbpf as users load it (bpftool prog loadall), which stops at the first
     * program the kernel refuses, so the programs after it have no kernel verdict. A {@code .s} case
     * and an object libbpf refuses (legacy maps sections) are loaded program by program through
     * bpf(), their maps created for the load (as jxdp links them: {@link JxdpLinkedObject}).
     */
    private Map<String, String> kernelVerdicts(List<Target> targets) throws IOException {
        Map<String, String> verdicts = new LinkedHashMap<>();
        ObjectSpec object = file.toString().endsWith(".s") ? null : load.load(file);
        if (object == null || JxdpLinkedObject.needed(object)) {
            for (Target t : targets) {
                KernelVerdict k;
                if (t.asm != null) {
                    k = KernelVerdict.load(t.type(), t.asm.insns(), t.asm.maps(), t.asm.license());
                } else {
                    ProgramSpec p = object.programs().stream().filter(x -> x.name().equals(t.name)).findFirst().orElseThrow();
                    k = KernelVerdict.load(t.type(), p.code().toBytes(), object.maps(), p.license());
                }
                verdicts.put(t.name, k.accepted() ? "accepted" : "refused: " + k.firstError());
            }
            return verdicts;
        }
        KernelVerdict k = KernelVerdict.loadObject(file, kernelLoadallArgs());
        List<String> order = object.programs().stream().map(ProgramSpec::name).toList();
        int stoppedAt = k.accepted() || k.refusedProgram() == null ? Integer.MAX_VALUE : order.indexOf(k.refusedProgram());
        String error = k.firstError().isEmpty() ? "bpftool failed" : k.firstError();
        for (Target t : targets) {
            int at = order.indexOf(t.name);
            verdicts.put(t.name, k.accepted() || at < stoppedAt ? "accepted"
                    : at == stoppedAt || (k.refusedProgram() == null && at >= 0) ? "refused: " + error
                    : "not loaded (libbpf stopped at " + k.refusedProgram() + ")");
        }
        return verdicts;
    }

    private List<String> kernelLoadallArgs() {
        if (load.types.size() == 1 && !load.types.getFirst().contains("=")) {
            String t = LoadArgs.type(load.types.getFirst()).bpftoolName();
            return List.of("type", t.equals("sched_cls") ? "classifier" : t.equals("sched_act") ? "action" : t);
        }
        return List.of();
    }

    private static void stats(Map<String, Object> row, VerifierStats s) {
        row.put("processed_insns", s.processedInsns());
        row.put("total_states", s.totalStates());
        row.put("peak_states", s.peakStates());
        row.put("verification_time_usec", s.time().toNanos() / 1000);
    }

    private static VerifierException retryWithLog(Target t, VerifierOptions options, VerifierException e) {
        try {
            t.verify(options.withLogLevel(1));
        } catch (VerifierException again) {
            return again;
        }
        return e;
    }

    /** One program to verify: a .s file, or a program of an object. */
    private record Target(String name, AsmProgram asm, VerifierInput input) {
        ProgramType type() {
            return asm != null ? asm.type() : input.type();
        }

        VerifiedProgram verify(VerifierOptions options) {
            return asm != null ? Verifier.verify(asm, options) : Verifier.verify(input, options);
        }
    }

    /** A plain {@code --type xdp|tc|action} (no SECTION=): the type to verify every program as. */
    private ProgramType overrideType() {
        ProgramType t = null;
        for (String s : load.types) {
            if (!s.contains("=")) {
                t = LoadArgs.type(s);
            }
        }
        return t;
    }

    private List<Target> targets() throws IOException {
        ProgramType override = overrideType();
        if (file.toString().endsWith(".s")) {
            if (section != null || name != null) {
                throw new IllegalArgumentException(file + ": --section and --name select programs of an ELF object");
            }
            AsmProgram p = AsmProgram.parse(file.getFileName().toString(), Files.readString(InputFiles.readable(file, null)));
            if (override != null) {
                p = new AsmProgram(p.name(), override, p.license(), p.maps(), p.kernelAccepts(), p.kernelError(), p.insns());
            }
            return List.of(new Target(p.name(), p, null));
        }
        ObjectSpec o = load.load(file);
        List<Target> targets = new ArrayList<>();
        for (ProgramSpec p : o.programs()) {
            if ((section == null || p.section().equals(section)) && (name == null || p.name().equals(name))) {
                VerifierInput in = VerifierInput.of(o, p);
                targets.add(new Target(p.name(), null, override != null ? in.withType(override) : in));
            }
        }
        if (targets.isEmpty()) {
            throw new IllegalArgumentException(file + ": no program" + (name != null ? " named '" + name + "'" : "")
                    + (section != null ? " in section '" + section + "'" : "") + " (programs: "
                    + String.join(", ", o.programs().stream().map(p -> p.name() + " [" + p.section() + "]").toList()) + ")");
        }
        return targets;
    }
}
