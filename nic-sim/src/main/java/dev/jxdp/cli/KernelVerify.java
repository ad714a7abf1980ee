package dev.jxdp.cli;

import dev.jxdp.kernel.ToolRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code verify --kernel}: the kernel's verdict on an object as users get it, from libbpf through
 * {@code bpftool prog loadall} into a private bpffs directory (removed after). libbpf loads every
 * program and stops at the first the kernel refuses; the load is repeated with {@code -d} only then,
 * to read the verifier's log (with -d libbpf asks for the most verbose log, which takes minutes on
 * the largest programs). Programs after a refused one have no kernel verdict.
 */
final class KernelVerify {
    private KernelVerify() {}

    private static final Pattern FAILED = Pattern.compile("libbpf: prog '([^']+)': failed to load");
    private static final Pattern INSN = Pattern.compile("^\\d+: \\(");

    /** The verdict: accepted, or refused naming the program libbpf stopped at and the verifier's error. */
    record Verdict(boolean accepted, String program, String error) {}

    static Verdict load(Path object, List<String> loadallArgs) throws IOException {
        String quiet = run(object, loadallArgs, false);
        if (quiet == null) {
            return new Verdict(true, null, null);
        }
        String debug = run(object, loadallArgs, true);
        String out = debug == null ? quiet : debug;
        Matcher m = FAILED.matcher(out);
        String program = m.find() ? m.group(1) : null;
        return new Verdict(false, program, error(out));
    }

    /** The verifier's message: the first line after the last instruction of the log, else bpftool's error. */
    private static String error(String out) {
        int begin = out.lastIndexOf("-- BEGIN PROG LOAD LOG --");
        int end = out.lastIndexOf("-- END PROG LOAD LOG --");
        if (begin >= 0 && end > begin) {
            List<String> lines = out.substring(begin, end).lines().toList();
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (INSN.matcher(lines.get(i)).find() && i + 1 < lines.size()) {
                    return lines.get(i + 1).strip();
                }
            }
            List<String> body = lines.stream().filter(l -> !l.isBlank() && !l.startsWith("processed ") && !l.startsWith("verification time")
                    && !l.startsWith("stack depth") && !l.startsWith("--")).toList();
            if (!body.isEmpty()) {
                return body.getLast().strip();
            }
        }
        return out.lines().filter(l -> l.startsWith("Error:")).findFirst().orElse("bpftool failed").replaceFirst("^Error: ", "");
    }

    /** bpftool's output if the load failed, null if it succeeded. */
    private static String run(Path object, List<String> loadallArgs, boolean debug) throws IOException {
        Path dir = Path.of("/sys/fs/bpf/jxdp-verify-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        try {
            List<String> cmd = new ArrayList<>(debug ? List.of("bpftool", "-d") : List.of("bpftool"));
            cmd.addAll(List.of("prog", "loadall", object.toString(), dir.toString()));
            cmd.addAll(loadallArgs);
            ToolRun r = ToolRun.of(cmd, Duration.ofSeconds(300));
            return r.ok() ? null : r.output();
        } finally {
            if (Files.exists(dir)) {
                try (var s = Files.walk(dir)) {
                    for (Path x : s.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(x);
                    }
                }
            }
        }
    }
}
