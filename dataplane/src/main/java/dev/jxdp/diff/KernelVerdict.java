package dev.jxdp.diff;

import dev.jxdp.kernel.Bpf;
import dev.jxdp.kernel.BpfMap;
import dev.jxdp.kernel.BpfProgram;
import dev.jxdp.kernel.LogLevel;
import dev.jxdp.kernel.ProgLoadException;
import dev.jxdp.kernel.ProgLoadRequest;
import dev.jxdp.kernel.ProgType;
import dev.jxdp.kernel.ToolRun;
import dev.jxdp.obj.MapSpec;
import dev.jxdp.obj.ProgramType;
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
 * The kernel verifier's verdict on a program: accepted or not, the verifier's log, and for an object
 * loaded through libbpf the program libbpf stopped at. {@link #firstError()} reads the log as jxdp's
 * own refusals are worded, so that the two can be compared line for line.
 */
public record KernelVerdict(boolean accepted, String log, String refusedProgram) {
    private static final Pattern FAILED = Pattern.compile("libbpf: prog '([^']+)': failed to load");

    /**
     * Raw instructions as they stand (a {@code .s} case, or a program as jxdp linked it): the maps
     * are created for the load and closed after, map indexes of {@code BPF_PSEUDO_MAP_FD} and
     * {@code BPF_PSEUDO_MAP_VALUE} loads replaced by their descriptors (an index out of range is left
     * for the kernel to refuse), and the program loaded with a level 1 log.
     */
    public static KernelVerdict load(ProgramType type, byte[] insns, List<MapSpec> maps, String license) {
        List<BpfMap> created = KernelMaps.create(maps);
        try {
            ProgLoadRequest req = ProgLoadRequest.of(ProgType.of(type.id()).orElseThrow(), KernelMaps.withFds(insns, created))
                    .withLicense(license).withLogLevel(LogLevel.BASIC);
            try (BpfProgram p = Bpf.loadProgram(req)) {
                return new KernelVerdict(true, p.verifierLog(), null);
            } catch (ProgLoadException e) {
                return new KernelVerdict(false, e.verifierLog(), null);
            }
        } finally {
            created.forEach(BpfMap::close);
        }
    }

    /**
     * An ELF object as users load it: {@code bpftool prog loadall} (libbpf creates the maps, fills
     * prog arrays and global data, loads every program, stops at the first the kernel refuses) into a
     * private bpffs directory, removed after. A refused object is loaded again with {@code -d} to read
     * the verifier's log; not at first, because with -d libbpf asks for the most verbose log, which
     * takes minutes on the largest programs.
     */
    public static KernelVerdict loadObject(Path object, List<String> loadallArgs) throws IOException {
        KernelVerdict quiet = loadall(object, loadallArgs, false);
        return quiet.accepted() ? quiet : loadall(object, loadallArgs, true);
    }

    private static KernelVerdict loadall(Path object, List<String> loadallArgs, boolean debug) throws IOException {
        Path dir = Path.of("/sys/fs/bpf/jxdp-verify-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        try {
            List<String> cmd = new ArrayList<>(debug ? List.of("bpftool", "-d") : List.of("bpftool"));
            cmd.addAll(List.of("prog", "loadall", object.toString(), dir.toString()));
            cmd.addAll(loadallArgs);
            ToolRun r = ToolRun.of(cmd, Duration.ofSeconds(300));
            if (r.ok()) {
                return new KernelVerdict(true, "", null);
            }
            String out = r.output();
            Matcher m = FAILED.matcher(out);
            int begin = out.lastIndexOf("-- BEGIN PROG LOAD LOG --");
            int end = out.lastIndexOf("-- END PROG LOAD LOG --");
            String log = begin >= 0 && end > begin ? out.substring(begin, end)
                    : out.lines().filter(l -> l.startsWith("Error:")).findFirst().orElse(out);
            return new KernelVerdict(false, log, m.find() ? m.group(1) : null);
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

    /**
     * The first line of the error, as jxdp's verifier words its refusal: what follows the last
     * instruction the log traced ({@code 12: (69) r0 = ...}), skipping register states, source lines
     * and bookkeeping; for a refusal before any instruction was traced (unreachable code, a bad
     * jump), the first line that is not bookkeeping. bpftool's own error line where there is no log.
     */
    public String firstError() {
        String[] lines = log.split("\n");
        int lastInsn = -1;
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].matches("^\\d+: \\(.*")) {
                lastInsn = i;
            }
        }
        for (int i = lastInsn + 1; i < lines.length; i++) {
            if (!bookkeeping(lines[i])) {
                // the kernel prints one message without its newline: "...for tail callprocessed 4 insns"
                return lines[i].replaceAll("processed \\d+ insns.*", "").replaceFirst("^Error: ", "").strip();
            }
        }
        return "";
    }

    private static boolean bookkeeping(String l) {
        return l.isBlank() || l.startsWith(" ") || l.startsWith("\t") || l.startsWith("; ") || l.matches("^\\d+: (R\\d|frame|safe).*")
                || l.startsWith("from ") || l.startsWith("mark_precise") || l.startsWith("func#") || l.startsWith("Live regs")
                || l.startsWith("caller:") || l.startsWith("callee:") || l.startsWith("last_idx") || l.startsWith("regs=")
                || l.startsWith("(") || l.startsWith("processed ") || l.startsWith("verification time") || l.startsWith("stack depth")
                || l.startsWith("-- ");
    }
}
