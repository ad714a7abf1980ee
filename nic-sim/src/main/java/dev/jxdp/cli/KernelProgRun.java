package dev.jxdp.cli;

import dev.jxdp.diff.JxdpLinkedObject;
import dev.jxdp.kernel.BpfAvailability;
import dev.jxdp.kernel.BpfException;
import dev.jxdp.kernel.BpfMap;
import dev.jxdp.kernel.TestRun;
import dev.jxdp.kernel.TestRunResult;
import dev.jxdp.kernel.ToolRun;
import dev.jxdp.obj.MapSpec;
import dev.jxdp.obj.ObjectSpec;
import dev.jxdp.obj.ProgramSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code prog run --kernel}: the same run through the kernel's BPF_PROG_TEST_RUN. The object is loaded
 * by libbpf, as users load it, with {@code bpftool prog loadall FILE DIR/progs pinmaps DIR/maps} into a
 * private bpffs directory (so that maps are created, global data filled and .values slots set, which
 * tail calls need); {@code --maps} entries go in with {@code bpftool map update}; then
 * {@code bpftool prog run pinned} runs it with the same files. The directory is removed afterwards.
 * bpftool does the loading because it is libbpf itself: the kernel backend of jxdp creates maps and
 * loads raw programs, but relocating a whole object (BTF, CO-RE, global data, prog array slots) is
 * what libbpf is for. Objects libbpf refuses (legacy {@code maps} sections) are loaded from jxdp's
 * own linking instead ({@link JxdpLinkedObject}), maps set and the program run through bpf() directly.
 */
final class KernelProgRun implements AutoCloseable {
    private static final Pattern RESULT = Pattern.compile("Return value: (\\d+), duration(?: \\(average\\))?: (\\d+)ns");

    private final Path dir;
    private final JxdpLinkedObject linked;

    /** What bpftool prog run said: the result, or its error line. */
    record Outcome(long retval, long duration, byte[] dataOut, byte[] ctxOut, String error) {}

    static String unavailableReason() {
        BpfAvailability a = BpfAvailability.checkWithBpftool();
        return a.usable() ? null : a.reason();
    }

    KernelProgRun(Path object, ObjectSpec spec, ProgramSpec chosen, List<String> loadallArgs) throws IOException {
        if (JxdpLinkedObject.needed(spec)) {
            dir = null;
            try {
                linked = JxdpLinkedObject.load(spec, chosen);
            } catch (BpfException | IllegalArgumentException e) {
                throw new IOException(e.getMessage().lines().findFirst().orElse(""), e);
            }
            return;
        }
        linked = null;
        dir = Path.of("/sys/fs/bpf/jxdp-prog-run-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        Files.createDirectories(dir);
        List<String> cmd = new ArrayList<>(List.of("prog", "loadall", object.toString(), dir.resolve("progs").toString(),
                "pinmaps", dir.resolve("maps").toString()));
        cmd.addAll(loadallArgs);
        try {
            bpftool(cmd);
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    /** Sets the {@code --maps} entries in the pinned maps. */
    void apply(ObjectSpec spec, MapsFile maps) throws IOException {
        if (linked != null) {
            applyLinked(spec, maps);
            return;
        }
        for (Map.Entry<String, List<MapsFile.Entry>> m : maps.maps().entrySet()) {
            Path pin = null;
            for (MapSpec s : spec.maps()) {
                if (s.name().equals(m.getKey()) || s.kernelName().equals(m.getKey()) || s.kernelName().replace('.', '_').equals(m.getKey())) {
                    pin = dir.resolve("maps").resolve(s.kernelName().replace('.', '_'));
                }
            }
            if (pin == null || !Files.exists(pin)) {
                throw new IOException("--kernel: no pinned map for '" + m.getKey() + "'");
            }
            for (MapsFile.Entry e : m.getValue()) {
                List<String> cmd = new ArrayList<>(List.of("map", "update", "pinned", pin.toString(), "key", "hex"));
                cmd.addAll(List.of(MapsFile.hex(e.key()).split(" ")));
                cmd.add("value");
                cmd.add("hex");
                cmd.addAll(List.of(MapsFile.hex(MapsFile.uniformValue(m.getKey(), e)).split(" ")));
                bpftool(cmd);
            }
        }
    }

    private void applyLinked(ObjectSpec spec, MapsFile maps) throws IOException {
        for (Map.Entry<String, List<MapsFile.Entry>> m : maps.maps().entrySet()) {
            BpfMap map = null;
            for (MapSpec s : spec.maps()) {
                if (s.name().equals(m.getKey()) || s.kernelName().equals(m.getKey())) {
                    map = linked.maps().get(s.name());
                }
            }
            if (map == null) {
                throw new IOException("--kernel: no map '" + m.getKey() + "' in the object");
            }
            for (MapsFile.Entry e : m.getValue()) {
                try {
                    map.update(e.key(), MapsFile.uniformValue(m.getKey(), e));
                } catch (BpfException x) {
                    throw new IOException("--kernel: map '" + m.getKey() + "': " + x.getMessage(), x);
                }
            }
        }
    }

    /** bpftool prog run pinned DIR/progs/NAME with the same arguments; outputs go to temporary files. */
    Outcome run(String program, RunArgs args, byte[] dataIn, byte[] ctxIn) throws IOException {
        if (linked != null) {
            return runLinked(args, dataIn, ctxIn);
        }
        Path tmp = Files.createTempDirectory("jxdp-kernel-run");
        try {
            Path in = tmp.resolve("data_in");
            Files.write(in, dataIn);
            List<String> cmd = new ArrayList<>(List.of("prog", "run", "pinned", dir.resolve("progs").resolve(program).toString(),
                    "data_in", in.toString(), "data_out", tmp.resolve("data_out").toString(),
                    "data_size_out", Integer.toString(args.dataSizeOut())));
            if (ctxIn != null) {
                Files.write(tmp.resolve("ctx_in"), ctxIn);
                cmd.addAll(List.of("ctx_in", tmp.resolve("ctx_in").toString(), "ctx_out", tmp.resolve("ctx_out").toString(),
                        "ctx_size_out", Integer.toString(args.ctxSizeOut())));
            }
            cmd.addAll(List.of("repeat", Integer.toString(args.repeat())));
            String text = run(cmd);
            Matcher m = RESULT.matcher(text);
            if (!m.find()) {
                return new Outcome(0, 0, null, null, text.strip().lines().filter(l -> l.startsWith("Error")).findFirst().orElse(text.strip()));
            }
            Path out = tmp.resolve("data_out");
            Path ctxOut = tmp.resolve("ctx_out");
            return new Outcome(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Files.exists(out) ? Files.readAllBytes(out) : new byte[0],
                    Files.exists(ctxOut) ? Files.readAllBytes(ctxOut) : null, null);
        } finally {
            delete(tmp);
        }
    }

    /**
     * The same run through bpf(BPF_PROG_TEST_RUN) on the program jxdp linked; a failure reads as
     * bpftool's ("Error: failed to run program: ...") so that both paths print alike.
     */
    private Outcome runLinked(RunArgs args, byte[] dataIn, byte[] ctxIn) {
        TestRun run = TestRun.of(dataIn).withRepeat(args.repeat()).withCtx(ctxIn);
        if (args.dataSizeOut() > 0) {
            run = run.withDataOutCapacity(args.dataSizeOut());
        }
        try {
            TestRunResult r = linked.program().testRun(run);
            return new Outcome(r.retval(), r.durationNs(), r.dataOut(), ctxIn == null ? null : r.ctxOut(), null);
        } catch (BpfException e) {
            return new Outcome(0, 0, null, null, "Error: failed to run program: " + e.errno().description());
        }
    }

    private static void bpftool(List<String> args) throws IOException {
        String out = run(args);
        if (out.contains("Error:")) {
            throw new IOException("bpftool " + args.get(0) + " " + args.get(1) + ": "
                    + out.lines().filter(l -> l.startsWith("Error:")).findFirst().orElse(out).replaceFirst("^Error: ", ""));
        }
    }

    private static String run(List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add("bpftool");
        cmd.addAll(args);
        ToolRun r = ToolRun.of(cmd, Duration.ofSeconds(120));
        String out = r.output();
        return r.ok() ? out : out + (out.contains("Error:") ? "" : "\nError: bpftool exited with " + r.status());
    }

    private static void delete(Path root) throws IOException {
        if (Files.exists(root)) {
            try (var s = Files.walk(root)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        if (linked != null) {
            linked.close();
            return;
        }
        delete(dir);
    }
}
