package dev.jxdp.perf;

import dev.jxdp.hooks.Network;
import dev.jxdp.hooks.PacketHelpers;
import dev.jxdp.hooks.ProgTestRun;
import dev.jxdp.kernel.TestRun;
import dev.jxdp.load.LoadedObject;
import dev.jxdp.load.LoadedProgram;
import dev.jxdp.obj.LoadOptions;
import dev.jxdp.obj.ObjectLoader;
import dev.jxdp.obj.ObjectSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@link EngineBenchmark}'s programs, jxdp's JIT and the kernel, in paired rounds: each round is one
 * BPF_PROG_TEST_RUN with repeat {@value #REPEAT} in the kernel and one {@link ProgTestRun} with the
 * same repeat in jxdp (what {@code jxdp prog run ... repeat N} runs), on the same object and 64-byte
 * frame, one right after the other; each side's figure is the mean ns per run it reports itself, as
 * {@code bpftool prog run} and {@code jxdp prog run} print it. The result per program is the median
 * over the rounds, after jxdp has run long enough for C2 to compile it.
 *
 * <p>Why rounds and medians: on a loaded 2-vCPU VM a JMH figure of a kernel test run includes the time
 * its thread waits for a CPU (the kernel's own timer leaves it out, jxdp's cannot), and short rounds
 * make that wait hit a few rounds, which the median drops, rather than every figure.
 *
 * <pre>
 * sudo java --enable-native-access=ALL-UNNAMED -cp perf/target/benchmarks.jar dev.jxdp.perf.ProgRunSideBySide [rounds]
 * </pre>
 */
public final class ProgRunSideBySide {
    static final int REPEAT = 10_000;
    static final List<String> PROGRAMS = List.of(System.getProperty("jxdp.bench.programs",
            "xdp_pass,xdp_ipv4_filter,xdp_fnv_prefix_hash,xdp_flow_counter").split(","));

    private ProgRunSideBySide() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        if (args.length > 1) {
            double[] r = measure(args[1], rounds);
            System.out.printf(Locale.ROOT, "RESULT %s %.1f %.1f%n", args[1], r[0], r[1]);
            return;
        }
        Map<String, double[]> results = new LinkedHashMap<>();
        for (String name : PROGRAMS) {
            results.put(name, child(name, rounds));
        }
        double kernelEmpty = results.get("xdp_pass")[0];
        double jxdpEmpty = results.get("xdp_pass")[1];
        System.out.printf(Locale.ROOT, "%-22s %10s %10s %8s %16s %16s%n", "program", "kernel_ns", "jxdp_ns", "ratio",
                "kernel-empty_ns", "jxdp-empty_ns");
        for (Map.Entry<String, double[]> e : results.entrySet()) {
            double k = e.getValue()[0];
            double j = e.getValue()[1];
            System.out.printf(Locale.ROOT, "%-22s %10.1f %10.1f %8.2f %16.1f %16.1f%n", e.getKey(), k, j, j / k, k - kernelEmpty,
                    j - jxdpEmpty);
        }
    }

    /**
     * One JVM per program, as JMH forks one per benchmark: the engines' shared call sites (the run
     * entry calling the generated class) then see one program, as a worker running one program does.
     */
    private static double[] child(String name, int rounds) throws Exception {
        Path launcher = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> cmd = new ArrayList<>(List.of(launcher.toString()));
        cmd.addAll(JxdpJvm.OPTIONS);
        for (String p : List.of("jxdp.programs", "jxdp.frames")) {
            if (System.getProperty(p) != null) {
                cmd.add("-D" + p + "=" + System.getProperty(p));
            }
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), ProgRunSideBySide.class.getName(),
                Integer.toString(rounds), name));
        Process child = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(child.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (child.waitFor() != 0) {
            throw new IllegalStateException(name + ": the measuring JVM failed:\n" + out);
        }
        for (String line : out.lines().toList()) {
            if (line.startsWith("RESULT " + name + " ")) {
                String[] f = line.split(" ");
                return new double[] {Double.parseDouble(f[2]), Double.parseDouble(f[3])};
            }
        }
        throw new IllegalStateException(name + ": no result from the measuring JVM:\n" + out);
    }

    /** Kernel and jxdp medians (ns per run) of one program, in this JVM. */
    private static double[] measure(String name, int rounds) throws Exception {
        Path bin = Path.of(System.getProperty("jxdp.programs", "programs/bin"));
        byte[] frame = Files.readAllBytes(Path.of(System.getProperty("jxdp.frames", "programs/frames")).resolve("udp64.bin"));
        ObjectSpec spec = ObjectLoader.load(bin.resolve(name + ".o"), LoadOptions.defaults());
        try (KernelObject kernel = new KernelObject(spec, name);
                LoadedObject object = LoadedObject.load(spec, LoadedObject.Options.defaults().withWorkers(1)
                        .withProvider(PacketHelpers.INSTANCE))) {
            LoadedProgram program = object.program(name);
            ProgTestRun.Input input = ProgTestRun.Input.of(frame).withRepeat(REPEAT);
            TestRun kernelRun = TestRun.of(frame).withRepeat(REPEAT);
            Network network = Network.loopback();
            warmUp(program, input, network);
            double[] k = new double[rounds];
            double[] j = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                k[r] = kernel.program.testRun(kernelRun).durationNs();
                j[r] = ProgTestRun.run(program, input, network).durationNs();
            }
            return new double[] {median(k), median(j)};
        }
    }

    /**
     * Until C2 has compiled the program: at least 5 s, then until 50 rounds in a row are within 1.5
     * times the best round so far (a loaded machine compiles late), at most 120 s.
     */
    private static void warmUp(LoadedProgram program, ProgTestRun.Input input, Network network) {
        long start = System.nanoTime();
        long best = Long.MAX_VALUE;
        int steady = 0;
        while (System.nanoTime() - start < 120_000_000_000L) {
            long d = ProgTestRun.run(program, input, network).durationNs();
            best = Math.min(best, d);
            steady = d * 2 <= best * 3 ? steady + 1 : 0;
            if (steady >= 50 && System.nanoTime() - start > 5_000_000_000L) {
                return;
            }
        }
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
