package dev.jxdp.perf;

import dev.jxdp.bench.BenchResult;
import dev.jxdp.bench.KernelLiveRun;
import dev.jxdp.bench.LoadTest;
import dev.jxdp.bench.ProgramChoice;
import dev.jxdp.bench.Traffic;
import dev.jxdp.nic.port.gen.SizeMix;
import dev.jxdp.obj.LoadOptions;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Mpps per worker of 64-byte generator frames through the whole NIC model (generator port, RSS,
 * rings, poll-mode workers, the hooks' pipeline, sinks), for four paths, at 1 and 2 workers, beside
 * the same objects in the kernel's BPF_PROG_TEST_RUN live-frames mode on veths in a namespace of
 * their own ({@link KernelLiveRun}; names start with "bnp"), all in one run:
 *
 * <ul>
 *   <li>drop: xdp_drop.o (XDP_DROP);
 *   <li>tx: xdp_tx.o (XDP_TX, out of the receiving port);
 *   <li>pass-tc-host: xdp_pass.o, then tc_ok.o at tc ingress, then the host (a discarding sink port;
 *       in the kernel, the veth's namespace stack, which drops the frames as not its own);
 *   <li>redirect: xdp_redirect_devmap.o, slot 0 of its devmap = the second port (eth1; out0 in the kernel).
 * </ul>
 *
 * <p>Each round runs every case once on each side, jxdp then kernel, so that the machine's slow spells
 * hit both. jxdp's side of each case runs in a JVM of its own (this class with {@code --one}), as
 * {@code jxdp bench} does: in one JVM for all cases, C2 compiles the worker's call sites for every
 * program and port seen so far, and the later cases measured that mix, not their own path. The
 * figures are medians over the rounds, and the ratio is jxdp's median Mpps per worker over the
 * kernel's. The generator is inline (LoadTest at top speed): each worker makes its own
 * queue's frames as it polls them and writes the discarding sinks itself, as the kernel's live-frames
 * run makes and acts on its frames on the CPU that runs the program; so the jxdp figure per worker
 * includes making the frames (a template copy and two checksum patches each), and W workers are W
 * busy threads, no more.
 *
 * <pre>
 * sudo java --enable-native-access=ALL-UNNAMED -cp perf/target/benchmarks.jar dev.jxdp.perf.NicBenchmark [ROUNDS] [SECONDS]
 * </pre>
 * (root for the namespace and the test runs; from the repository root, or with -Djxdp.programs=DIR)
 */
public final class NicBenchmark {
    private record Case(String name, String xdp, String tc, String devmap) {}

    private static final List<Case> CASES = List.of(
            new Case("drop", "xdp_drop", null, null),
            new Case("tx", "xdp_tx", null, null),
            new Case("pass-tc-host", "xdp_pass", "tc_ok", null),
            new Case("redirect", "xdp_redirect_devmap", null, "tx_port"));

    /** Enough flows that RSS spreads them evenly over 2 queues (the first 16 flows all hash to queue 0). */
    private static final int FLOWS = 256;
    private static final long KERNEL_FRAMES = 5_000_000;

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--one")) {
            runOne(args);
            return;
        }
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 5;
        Path bin = Path.of(System.getProperty("jxdp.programs", "programs/bin"));
        if (!Files.isDirectory(bin)) {
            throw new IllegalStateException("no " + bin.toAbsolutePath() + ": run from the repository root or set -Djxdp.programs");
        }
        byte[] frame = Traffic.Generated.flowZeroFrame(60);
        Map<String, List<Double>> jxdp = new LinkedHashMap<>();
        Map<String, List<Double>> kernel = new LinkedHashMap<>();
        for (int round = 0; round < rounds; round++) {
            for (Case c : CASES) {
                for (int workers = 1; workers <= 2; workers++) {
                    String key = c.name() + "/" + workers;
                    JxdpFigure r = inChildJvm(c, workers, seconds, bin);
                    jxdp.computeIfAbsent(key, k -> new ArrayList<>()).add(r.mpps() / workers);
                    KernelLiveRun.Setup setup = new KernelLiveRun.Setup(bin.resolve(c.xdp() + ".o"), c.xdp(),
                            c.tc() == null ? null : new KernelLiveRun.TcProgram(bin.resolve(c.tc() + ".o"), "tc"), null, c.devmap(), 1500, bin.resolve("xdp_drop.o"));
                    try (KernelLiveRun live = KernelLiveRun.open(setup, "bnp")) {
                        KernelLiveRun.Result k = live.run(frame, KERNEL_FRAMES, workers, 0);
                        kernel.computeIfAbsent(key, x -> new ArrayList<>()).add(k.mpps() / workers);
                    }
                    System.out.printf(Locale.ROOT, "round %d %-16s jxdp %.3f Mpps/worker (rx_missed %d, verdicts %s), kernel %.3f Mpps/worker%n", round + 1, key,
                            r.mpps() / workers, r.missed(), r.verdicts(), kernel.get(key).getLast());
                }
            }
        }
        System.out.printf(Locale.ROOT, "%n%-16s %14s %14s %10s%n", "case/workers", "jxdp Mpps/w", "kernel Mpps/w", "jxdp/kernel");
        for (String key : jxdp.keySet()) {
            double j = median(jxdp.get(key));
            double k = median(kernel.get(key));
            System.out.printf(Locale.ROOT, "%-16s %14.3f %14.3f %10.4f%n", key, j, k, j / k);
        }
    }

    /** jxdp's side of one case in a child JVM: its Mpps (all workers), rx_missed and verdict mix. */
    private record JxdpFigure(double mpps, long missed, String verdicts) {}

    private static final String RESULT = "nicbenchmark-result ";

    private static JxdpFigure inChildJvm(Case c, int workers, double seconds, Path bin) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow(() -> new IllegalStateException("cannot tell which java runs this"));
        List<String> command = new ArrayList<>(List.of(java));
        // The child gets this JVM's options (heap, -D...), not its -cp: that is given below; then the
        // launcher's, which win over any the parent was started with.
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.addAll(JxdpJvm.OPTIONS);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), NicBenchmark.class.getName(), "--one", c.name(),
                Integer.toString(workers), Double.toString(seconds), bin.toString()));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        String result = null;
        try (var out = new BufferedReader(new InputStreamReader(child.getInputStream()))) {
            for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith(RESULT)) {
                    result = line.substring(RESULT.length());
                } else {
                    System.out.println("  [" + c.name() + "/" + workers + "] " + line);
                }
            }
        }
        int rc = child.waitFor();
        if (rc != 0 || result == null) {
            throw new IllegalStateException("jxdp's run of " + c.name() + "/" + workers + " failed (exit " + rc + ")");
        }
        String[] f = result.split(" ", 3);
        return new JxdpFigure(Double.parseDouble(f[0]), Long.parseLong(f[1]), f[2]);
    }

    /** {@code --one CASE WORKERS SECONDS BIN}: one case of jxdp's side, its figures on one line. */
    private static void runOne(String[] args) throws Exception {
        Case c = CASES.stream().filter(x -> x.name().equals(args[1])).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no case " + args[1]));
        int workers = Integer.parseInt(args[2]);
        double seconds = Double.parseDouble(args[3]);
        Path bin = Path.of(args[4]);
        LoadTest.withoutLeakTracking();
        LoadTest.Spec spec = new LoadTest.Spec(new ProgramChoice(bin.resolve(c.xdp() + ".o"), c.xdp()),
                c.tc() == null ? null : new ProgramChoice(bin.resolve(c.tc() + ".o"), c.tc()), null, c.devmap(),
                new Traffic.Generated(new SizeMix.Fixed(64), FLOWS, 1), 0, workers, Duration.ofMillis((long) (seconds * 1000)),
                Duration.ofSeconds(2), 0, false, LoadTest.DEFAULT_SAMPLING, 1500, LoadOptions.defaults());
        BenchResult r = LoadTest.run(spec);
        System.out.println(RESULT + r.mpps() + " " + r.missed() + " " + r.verdicts());
    }

    private static double median(List<Double> xs) {
        double[] a = xs.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(a);
        return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
    }
}
