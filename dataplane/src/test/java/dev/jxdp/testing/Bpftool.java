package dev.jxdp.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jxdp.kernel.BpfAvailability;
import dev.jxdp.kernel.ToolRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The kernel side of the loaded-object comparisons: an object loaded with {@code bpftool prog loadall
 * ... pinmaps} into a private bpffs directory, its programs run with {@code bpftool prog run} and its
 * maps read with {@code bpftool -j map dump}. Removes its pins on close.
 */
public final class Bpftool implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration LIMIT = Duration.ofSeconds(60);
    private static final Pattern RETVAL = Pattern.compile("Return value: (\\d+), duration(?: \\(average\\))?: (\\d+)ns");

    private final Path dir;

    /** Why the comparison cannot run here, or null. */
    public static String unavailableReason() {
        BpfAvailability a = BpfAvailability.checkWithBpftool();
        return a.usable() ? null : a.reason();
    }

    /** What runs a test run: bpftool itself, or bpftool inside a network namespace ({@link #inNetns}). */
    private List<String> runner = List.of("bpftool");

    /**
     * Test runs from now on happen in the network namespace {@code name} (entered with nsenter, which,
     * unlike {@code ip netns exec}, keeps /sys/fs/bpf where the program is pinned): helpers that look at
     * devices and routes (bpf_fib_lookup, ingress_ifindex) see that namespace's.
     */
    public Bpftool inNetns(String name) {
        runner = List.of("nsenter", "--net=/run/netns/" + name, "bpftool");
        return this;
    }

    public Bpftool(Path object) throws IOException {
        dir = Path.of("/sys/fs/bpf/jxdp-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        Files.createDirectories(dir);
        try {
            run("prog", "loadall", object.toString(), dir.resolve("progs").toString(), "pinmaps", dir.resolve("maps").toString());
        } catch (IOException | RuntimeException e) {
            close(); // a refused object leaves no directory behind in bpffs
            throw e;
        }
    }

    /** One BPF_PROG_TEST_RUN: retval, the frame afterwards, mean ns per repeat. */
    public record Result(int retval, byte[] dataOut, long nanos) {}

    /** BPF_PROG_TEST_RUN with a context: the result, or the error bpftool printed ("Error: failed to run program: ..."). */
    public record CtxResult(long retval, byte[] dataOut, byte[] ctxOut, String error) {}

    public Result runProgram(String program, byte[] frame, int repeat) throws IOException {
        CtxResult r = runProgram(program, frame, null, repeat);
        if (r.error() != null) {
            throw new IOException("bpftool prog run said: " + r.error());
        }
        return new Result((int) r.retval(), r.dataOut(), 0);
    }

    public CtxResult runProgram(String program, byte[] frame, byte[] ctx, int repeat) throws IOException {
        Path dirIn = Files.createTempDirectory("jxdp-run");
        try {
            Path in = dirIn.resolve("data_in");
            Path out = dirIn.resolve("data_out");
            Files.write(in, frame);
            List<String> cmd = new ArrayList<>(runner);
            cmd.addAll(List.of("prog", "run", "pinned", dir.resolve("progs").resolve(program).toString(),
                    "data_in", in.toString(), "data_out", out.toString()));
            if (ctx != null) {
                Files.write(dirIn.resolve("ctx_in"), ctx);
                cmd.addAll(List.of("ctx_in", dirIn.resolve("ctx_in").toString(), "ctx_out", dirIn.resolve("ctx_out").toString()));
            }
            cmd.addAll(List.of("repeat", Integer.toString(repeat)));
            String text = ToolRun.of(cmd, LIMIT).output();
            Matcher m = RETVAL.matcher(text);
            if (!m.find()) {
                return new CtxResult(0, null, null, text.lines().filter(l -> l.startsWith("Error")).findFirst().orElse(text.strip()));
            }
            Path ctxOut = dirIn.resolve("ctx_out");
            return new CtxResult(Long.parseLong(m.group(1)), Files.readAllBytes(out), Files.exists(ctxOut) ? Files.readAllBytes(ctxOut) : null, null);
        } finally {
            try (var s = Files.walk(dirIn)) {
                for (Path x : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(x);
                }
            }
        }
    }

    /** bpftool -j map dump of a pinned map of the object. */
    public JsonNode dump(String map) throws IOException {
        return JSON.readTree(run("-j", "map", "dump", "pinned", dir.resolve("maps").resolve(map).toString()));
    }

    /** A key or value as bpftool's JSON gives it (an array of "0x.." strings), as bytes. */
    public static byte[] bytes(JsonNode array) {
        byte[] b = new byte[array.size()];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(array.get(i).asText().substring(2), 16);
        }
        return b;
    }

    /** The pinned maps (bpffs names: the kernel's 15-byte names). */
    public List<String> maps() throws IOException {
        List<String> names = new ArrayList<>();
        try (var s = Files.list(dir.resolve("maps"))) {
            s.forEach(p -> names.add(p.getFileName().toString()));
        }
        return names;
    }

    public static String run(String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add("bpftool");
        cmd.addAll(List.of(args));
        ToolRun r = ToolRun.of(cmd, LIMIT);
        if (!r.ok()) {
            throw new IOException(String.join(" ", cmd) + " failed: " + r.output().strip());
        }
        return r.output();
    }

    @Override
    public void close() throws IOException {
        if (Files.exists(dir)) {
            try (var s = Files.walk(dir)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
