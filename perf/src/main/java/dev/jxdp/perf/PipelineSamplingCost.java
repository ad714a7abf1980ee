package dev.jxdp.perf;

import dev.jxdp.hooks.Device;
import dev.jxdp.hooks.Hook;
import dev.jxdp.hooks.Outcome;
import dev.jxdp.hooks.Pipeline;
import dev.jxdp.hooks.Port;
import dev.jxdp.hooks.PortSink;
import dev.jxdp.hooks.Worker;
import dev.jxdp.load.LoadedObject;
import dev.jxdp.obj.LoadOptions;
import dev.jxdp.obj.ObjectLoader;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What the latency histograms cost, measured so that a noisy machine cannot hide a few percent:
 * {@link PipelineBenchmark}'s path (XDP filter, skb, tc ingress, host) on three pipelines in one JVM,
 * sampling off, one frame in 16 (the default) and every frame, run in alternating rounds of 200,000
 * frames each after a warm-up. Each round times the three back to back, so that a slow spell of the
 * machine hits all three; the result is the median over the rounds of each one's time relative to
 * "off" in the same round, and the median ns per frame.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp perf/target/benchmarks.jar dev.jxdp.perf.PipelineSamplingCost [ROUNDS]
 * </pre>
 * (from the repository root, or with {@code -Djxdp.programs=DIR} naming programs/bin)
 */
public final class PipelineSamplingCost {
    private static final int FRAMES = 200_000;

    private record Setup(String name, Worker worker, Port port, MemorySegment buffer, int length) {
        long run(int frames) {
            long t0 = System.nanoTime();
            for (int i = 0; i < frames; i++) {
                if (worker.receive(port, 0, buffer, 256, length).fate() != Outcome.Fate.TO_HOST) {
                    throw new IllegalStateException("frame did not reach the host");
                }
            }
            return System.nanoTime() - t0;
        }
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        Path bin = Path.of(System.getProperty("jxdp.programs", "programs/bin"));
        byte[] frame = java.util.HexFormat.of().parseHex(PipelineBenchmark.UDP64);
        Arena arena = Arena.ofShared();
        List<Setup> setups = new ArrayList<>();
        for (int sampling : new int[] {0, 16, 1}) {
            Pipeline p = Pipeline.builder().workers(1).latencySampling(sampling).build();
            Port port = p.addPort(new Device(2, "eth0", new byte[] {2, 0, 0, 0, 0, 2}, 1500, 1, 0), PortSink.DISCARD);
            LoadedObject filter = LoadedObject.load(ObjectLoader.load(bin.resolve("xdp_ipv4_filter.o"), LoadOptions.defaults()), p.objectOptions());
            LoadedObject tc = LoadedObject.load(ObjectLoader.load(bin.resolve("xdp_tc_meta_handoff.o"), LoadOptions.defaults()), p.objectOptions());
            p.attachXdp(port, filter.program("xdp_ipv4_filter"));
            p.attachTc(port, Hook.TC_INGRESS, tc.program("tc_meta_to_mark"));
            MemorySegment buffer = arena.allocate(4096, 64);
            MemorySegment.copy(MemorySegment.ofArray(frame), 0, buffer, 256, frame.length);
            setups.add(new Setup(sampling == 0 ? "off" : sampling == 1 ? "every frame" : "1 in " + sampling, p.worker(0), port, buffer,
                    frame.length));
        }
        for (int w = 0; w < 10; w++) {
            for (Setup s : setups) {
                s.run(FRAMES);
            }
        }
        double[][] ns = new double[setups.size()][rounds];
        double[][] ratio = new double[setups.size()][rounds];
        for (int r = 0; r < rounds; r++) {
            long[] t = new long[setups.size()];
            for (int k = 0; k < setups.size(); k++) {
                int i = (k + r) % setups.size(); // rotate the order from round to round
                t[i] = setups.get(i).run(FRAMES);
            }
            for (int i = 0; i < setups.size(); i++) {
                ns[i][r] = (double) t[i] / FRAMES;
                ratio[i][r] = (double) t[i] / t[0];
            }
        }
        System.out.printf("%d rounds of %d frames each, %d processors%n", rounds, FRAMES, Runtime.getRuntime().availableProcessors());
        for (int i = 0; i < setups.size(); i++) {
            System.out.printf("latency sampling %-12s median %7.1f ns/frame, median %+5.1f%% against off in the same round%n",
                    setups.get(i).name(), median(ns[i]), (median(ratio[i]) - 1) * 100);
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
