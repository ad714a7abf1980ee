package dev.jxdp.perf;

import dev.jxdp.kernel.Bpf;
import dev.jxdp.kernel.BpfMap;
import dev.jxdp.kernel.BpfProgram;
import dev.jxdp.kernel.MapSpec;
import dev.jxdp.kernel.ProgType;
import dev.jxdp.kernel.TestRun;
import dev.jxdp.obj.MapType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The kernel side of {@link MapBenchmark}: the same map and programs ({@link MapPrograms}) loaded into
 * the kernel and run with BPF_PROG_TEST_RUN, {@code repeat} times per call; the kernel reports the mean
 * ns per run. A lookup costs {@code lookup - baseline} (the baseline draws the same random key, so the
 * test-run overhead, about 26-32 ns on these machines, and the helper call for the key cancel out).
 * With 2 workers two threads, pinned to CPU 0 and 1, run at the same time. Medians of {@code rounds}.
 *
 * <pre>
 * sudo java --enable-native-access=ALL-UNNAMED -cp perf/target/benchmarks.jar dev.jxdp.perf.KernelMapCost [rounds]
 * </pre>
 */
public final class KernelMapCost {
    private static final int REPEAT = 2_000_000;

    private KernelMapCost() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        System.out.println("type      entries  workers  lookup_ns  update_ns  (baseline_ns)");
        for (String type : List.of("array", "hash", "lru_hash", "lpm_trie")) {
            for (int entries : new int[] {1024, 1 << 20}) {
                MapType t = MapPrograms.type(type);
                dev.jxdp.kernel.MapType kt = dev.jxdp.kernel.MapType.of(t.id()).orElseThrow();
                try (BpfMap map = Bpf.createMap(new MapSpec(kt, MapPrograms.keySize(t), 8, entries,
                        t == MapType.LPM_TRIE ? MapSpec.F_NO_PREALLOC : 0, "bench", 0, 0))) {
                    if (t != MapType.ARRAY) {
                        byte[] value = new byte[8];
                        for (int i = 0; i < entries; i++) {
                            map.update(MapPrograms.key(t, i), value);
                        }
                    }
                    try (BpfProgram lookup = load(MapPrograms.lookup(t, entries), map.fd());
                            BpfProgram update = load(MapPrograms.update(t, entries), map.fd());
                            BpfProgram base = load(MapPrograms.baseline(t, entries), map.fd())) {
                        for (int workers = 1; workers <= 2; workers++) {
                            double l = median(lookup, workers, rounds);
                            double u = median(update, workers, rounds);
                            double b = median(base, workers, rounds);
                            System.out.printf(Locale.ROOT, "%-9s %8d  %7d  %9.1f  %9.1f  (%.1f)%n", type, entries, workers, l - b, u - b, b);
                        }
                    }
                }
            }
        }
    }

    private static BpfProgram load(dev.jxdp.isa.Bytecode code, int fd) {
        return Bpf.loadProgram(ProgType.XDP, MapPrograms.withMapFd(code, fd));
    }

    /** Median over rounds of the mean ns per run (averaged over the workers running at once). */
    private static double median(BpfProgram p, int workers, int rounds) throws InterruptedException {
        double[] r = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            double[] perWorker = new double[workers];
            List<Thread> threads = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                int cpu = w;
                threads.add(Thread.ofPlatform().start(() -> {
                    // XDP test runs take no BPF_F_TEST_RUN_ON_CPU: the thread itself is pinned.
                    Pin.to(cpu);
                    perWorker[cpu] = p.testRun(TestRun.of(new byte[64]).withRepeat(REPEAT)).durationNs();
                }));
            }
            for (Thread t : threads) {
                t.join();
            }
            r[i] = Arrays.stream(perWorker).average().orElseThrow();
        }
        Arrays.sort(r);
        return r[rounds / 2];
    }
}
