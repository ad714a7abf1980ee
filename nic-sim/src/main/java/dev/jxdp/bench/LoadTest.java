package dev.jxdp.bench;

import dev.jxdp.exec.Interpreter;
import dev.jxdp.hooks.Hook;
import dev.jxdp.hooks.HookStats;
import dev.jxdp.hooks.Outcome;
import dev.jxdp.hooks.Pipeline;
import dev.jxdp.load.LoadedObject;
import dev.jxdp.load.LoadedProgram;
import dev.jxdp.maps.EbpfMap;
import dev.jxdp.nic.Datapath;
import dev.jxdp.nic.Port;
import dev.jxdp.nic.PortConfig;
import dev.jxdp.nic.pipeline.PipelineProcessor;
import dev.jxdp.nic.port.discard.DiscardPort;
import dev.jxdp.nic.port.gen.GeneratorPort;
import dev.jxdp.nic.port.pcap.Pacing;
import dev.jxdp.nic.port.pcap.PcapSource;
import dev.jxdp.obj.LoadOptions;
import dev.jxdp.obj.ObjectLoader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * One load test through the NIC model and the hooks: a receiving port ({@code eth0}, ifindex 2, the
 * generator or a capture, one receive queue per worker, RSS spreading the flows), a second port
 * ({@code eth1}, ifindex 3) for redirects, a host port for what passes tc ingress, all three sinks
 * that discard what they transmit; W poll-mode workers running the pipeline.
 *
 * <p>A run of a duration warms up first (the JIT compiles the programs and the path), then measures:
 * rates, verdicts and latency count only the measured interval. A run of a frame count sends exactly
 * that many frames and counts all of them. At top speed (and with a count) the source waits for room
 * in the rings, so the rate is what the workers take; at a fixed rate full rings drop (rx_missed). At
 * top speed for a duration the generator is inline (each worker makes its own queue's frames, no
 * generator thread); the discarding sinks are always written by the workers themselves.
 */
public final class LoadTest {
    static final int RX_IFINDEX = 2;
    static final int TX_IFINDEX = 3;
    static final int HOST_IFINDEX = 1;

    /**
     * One frame in this many is timed by default: a timed frame reads the clock two to four times
     * (about 23 ns each on the development VM), so one in 16 cost 4-7 ns of a 50-ns XDP_DROP frame,
     * one in 64 about a quarter of that; at millions of frames a second that still times tens of
     * thousands a second.
     */
    public static final int DEFAULT_SAMPLING = 64;

    /**
     * What to run.
     *
     * @param xdp the XDP program on eth0, or null
     * @param tcIngress the tc ingress program on eth0, or null
     * @param tcEgress the tc egress program on eth0 and eth1, or null
     * @param devmap a devmap of the XDP object whose slot 0 is set to eth1 (the redirect target), or null
     * @param traffic the frames
     * @param pps frames per second, 0 for top speed
     * @param workers poll-mode workers
     * @param duration how long to measure (with {@code count} 0)
     * @param warmup how long to run before measuring (with {@code count} 0)
     * @param count frames to send, without loss, all measured; 0 to run for the duration
     * @param interpret the reference interpreter instead of the JIT
     * @param latencySampling time one frame in this many (a power of two)
     * @param mtu every port's MTU: an XDP redirect to eth1 takes a frame of at most MTU + 18 bytes
     * @param loadOptions how the objects are loaded (program types of unknown sections, .rodata values)
     */
    public record Spec(ProgramChoice xdp, ProgramChoice tcIngress, ProgramChoice tcEgress, String devmap, Traffic traffic, double pps,
                       int workers, Duration duration, Duration warmup, long count, boolean interpret, int latencySampling, int mtu,
                       LoadOptions loadOptions) {
        public Spec {
            try {
                PortConfig.of(RX_IFINDEX).withMtu(mtu);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--mtu " + mtu + ": " + e.getMessage(), e);
            }
            if (xdp == null && tcIngress == null && tcEgress == null) {
                throw new IllegalArgumentException("nothing to run: give --xdp, --tc-ingress or --tc-egress");
            }
            if (devmap != null && xdp == null) {
                throw new IllegalArgumentException("--devmap names a map of the --xdp object, and there is none");
            }
            if (workers < 1 || workers > 256) {
                throw new IllegalArgumentException("--workers must be 1 to 256, not " + workers);
            }
            if (pps < 0 || Double.isNaN(pps)) {
                throw new IllegalArgumentException("--rate must be a positive number of packets per second, not " + pps);
            }
            if (count < 0) {
                throw new IllegalArgumentException("--count must not be negative");
            }
            if (count == 0 && (duration.isNegative() || duration.isZero())) {
                throw new IllegalArgumentException("--duration must be positive, not " + duration);
            }
            if (count > 0 && traffic instanceof Traffic.Pcap) {
                throw new IllegalArgumentException("--count goes with --gen; a capture runs for --duration");
            }
        }

        public String programDescription() {
            List<String> parts = new ArrayList<>();
            if (xdp != null) {
                parts.add("xdp " + xdp);
            }
            if (tcIngress != null) {
                parts.add("tc ingress " + tcIngress);
            }
            if (tcEgress != null) {
                parts.add("tc egress " + tcEgress);
            }
            return String.join(", ", parts);
        }
    }

    private LoadTest() {}

    /**
     * Turns Netty's leak detector off for this process unless its level was chosen
     * ({@code -Dio.netty.leakDetection.level}): by default it records a stack trace for one frame
     * buffer allocation in 128, a few percent of a load test's time spent on bookkeeping a load test
     * does not need. Tests choose PARANOID, so they keep it.
     */
    public static void withoutLeakTracking() {
        if (System.getProperty("io.netty.leakDetection.level") == null && System.getProperty("io.netty.leakDetectionLevel") == null) {
            io.netty.util.ResourceLeakDetector.setLevel(io.netty.util.ResourceLeakDetector.Level.DISABLED);
        }
    }

    public static BenchResult run(Spec spec) throws IOException, InterruptedException {
        int w = spec.workers();
        PortConfig rxConfig = PortConfig.of(RX_IFINDEX).withQueues(w, w).withMtu(spec.mtu());
        // At top speed the source waits for room in the rings instead of overrunning them: frames made
        // only to be lost would take CPU time from the workers on a machine with few CPUs, and the
        // figure sought is what the workers take. A fixed --rate is a NIC's wire: full rings drop.
        boolean lossless = spec.count() > 0 || spec.pps() == 0;
        // At top speed for a duration the generator is inline: each worker makes its own queue's frames
        // as it polls (as the kernel's live-frames test run does on the CPU that runs XDP), so no
        // generator thread competes with the workers for the CPUs and no frame crosses a ring. A rate
        // needs the thread's clock, and a count promises the seed's exact frames, which one thread makes
        // for any number of queues (inline, each queue draws its own).
        boolean inline = spec.pps() == 0 && spec.count() == 0;
        Port source = switch (spec.traffic()) {
            case Traffic.Generated g -> new GeneratorPort("eth0", rxConfig, GeneratorPort.Options.defaults().withMix(g.mix()).withFlows(g.flows())
                    .withSeed(g.seed()).withPps(spec.pps()).withCount(spec.count()).withLossless(lossless).withInline(inline));
            case Traffic.Pcap p -> new PcapSource("eth0", rxConfig, p.file(), PcapSource.Options.defaults().withLoops(0).withLossless(lossless)
                    .withPacing(spec.pps() > 0 ? new Pacing.Pps(spec.pps()) : new Pacing.TopSpeed()));
        };
        DiscardPort wire = new DiscardPort("eth0-wire", PortConfig.of(10).withQueues(1, w).withMtu(spec.mtu()));
        DiscardPort eth1 = new DiscardPort("eth1", PortConfig.of(TX_IFINDEX).withQueues(1, w).withMtu(spec.mtu()));
        DiscardPort host = new DiscardPort("host", PortConfig.of(HOST_IFINDEX).withQueues(1, w).withMtu(spec.mtu()));
        PipelineProcessor proc = PipelineProcessor.builder().workers(w).port(source, wire).port(eth1).latencySampling(spec.latencySampling())
                .build();
        Pipeline pipeline = proc.pipeline();
        List<LoadedObject> loaded = new ArrayList<>();
        boolean handedToDatapath = false;
        try {
            LoadedObject.Options options = proc.objectOptions();
            if (spec.interpret()) {
                options = options.withEngine(new Interpreter());
            }
            dev.jxdp.hooks.Port in = proc.port(source);
            dev.jxdp.hooks.Port out = proc.port(eth1);
            if (spec.xdp() != null) {
                LoadedObject o = load(spec.xdp(), spec.loadOptions(), options, loaded);
                if (spec.devmap() != null) {
                    EbpfMap map = o.map(spec.devmap());
                    map.update(le(0), le(TX_IFINDEX));
                }
                pipeline.attachXdp(in, o.program(spec.xdp().program()));
            }
            if (spec.tcIngress() != null) {
                LoadedObject o = load(spec.tcIngress(), spec.loadOptions(), options, loaded);
                pipeline.attachTc(in, Hook.TC_INGRESS, o.program(spec.tcIngress().program()));
            }
            if (spec.tcEgress() != null) {
                LoadedObject o = load(spec.tcEgress(), spec.loadOptions(), options, loaded);
                LoadedProgram p = o.program(spec.tcEgress().program());
                pipeline.attachTc(in, Hook.TC_EGRESS, p);
                pipeline.attachTc(out, Hook.TC_EGRESS, p);
            }
            try (Datapath dp = proc.datapath().host(host).build()) {
                handedToDatapath = true;
                Snapshot before;
                long start;
                if (spec.count() > 0) {
                    before = Snapshot.of(dp, pipeline, in, out); // all zero: every frame counts, from the first
                    start = System.nanoTime();
                    dp.start();
                    awaitCount(dp, (GeneratorPort) source, spec.count());
                } else {
                    dp.start();
                    warmUp(() -> Snapshot.of(dp, pipeline, in, out), spec.warmup());
                    before = Snapshot.of(dp, pipeline, in, out);
                    start = System.nanoTime();
                    sleep(spec.duration());
                }
                long nanos = System.nanoTime() - start;
                Snapshot after = Snapshot.of(dp, pipeline, in, out);
                Histogram latency = after.latency.copy();
                latency.subtract(before.latency);
                long[] perWorker = new long[w];
                for (int i = 0; i < w; i++) {
                    perWorker[i] = after.workerFrames[i] - before.workerFrames[i];
                }
                return new BenchResult(spec.programDescription(), spec.traffic().toString() + (spec.pps() > 0 ? ", " + (long) spec.pps() + " pps" : ", top speed"),
                        spec.interpret() ? "interpreter" : "jit", nanos, perWorker, after.bytes - before.bytes, after.missed - before.missed, Snapshot.verdictDelta(before, after), Snapshot.fateDelta(before, after),
                        latency, spec.latencySampling(), null);
            }
        } finally {
            if (!handedToDatapath) {
                // a program or map that failed to load: the datapath that closes the ports never came to be
                for (Port p : List.of(source, wire, eth1, host)) {
                    p.close();
                }
            }
            for (LoadedObject o : loaded) {
                o.close();
            }
        }
    }

    private static LoadedObject load(ProgramChoice choice, LoadOptions loadOptions, LoadedObject.Options options, List<LoadedObject> loaded)
            throws IOException {
        LoadedObject o = LoadedObject.load(ObjectLoader.load(choice.object(), loadOptions), options);
        loaded.add(o);
        return o;
    }

    /**
     * Waits until the workers have taken in all {@code count} frames (the generator waits for room, so
     * none is lost): a frame off its ring is counted only once its batch is done.
     */
    private static void awaitCount(Datapath dp, GeneratorPort gen, long count) throws InterruptedException {
        if (!gen.awaitFinished(10, TimeUnit.MINUTES)) {
            throw new IllegalStateException("the generator did not finish " + count + " frames in 10 minutes");
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (frames(dp) < count) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("the workers took " + frames(dp) + " of " + count + " frames in 60 s");
            }
            LockSupport.parkNanos(100_000);
        }
    }

    private static long frames(Datapath dp) {
        long n = 0;
        for (int i = 0; i < dp.workerCount(); i++) {
            n += dp.worker(i).counters.frames.get();
        }
        return n;
    }

    /**
     * The warm-up, with the counters ({@code snapshot}, which reads the end-to-end latency too) read
     * twice early in it. Reading the latency flips each worker's HdrHistogram recorder, and a timed
     * frame's record then takes a branch of the recorder's phase that it never took before: if that
     * happens first at the measurement's start (its snapshot), C2 throws the worker's compiled path
     * away there and compiles it again mid-run, and how it inlines the second time differed from run
     * to run (2-worker XDP -> tc runs of 8 to 21 Mpps, with sampling off 19 to 22). Two flips while
     * the code is still being profiled give it both branches. And a snapshot's first run loads and
     * links the classes it reads the verdicts and fates with: milliseconds between its reading of the
     * packets and of the fates, in which a worker takes tens of thousands of frames (the fates of a
     * 1-second xdp_drop run came out 0.3-0.9% under its packets). Run here first, the snapshots
     * that measure read all their counters within a few microseconds.
     */
    private static void warmUp(Runnable snapshot, Duration warmup) throws InterruptedException {
        Duration early = warmup.dividedBy(20);
        for (int flip = 0; flip < 2 && !early.isZero(); flip++) {
            sleep(early);
            snapshot.run();
        }
        sleep(warmup.minus(early.multipliedBy(2)));
    }

    private static void sleep(Duration d) throws InterruptedException {
        if (!d.isNegative() && !d.isZero()) {
            Thread.sleep(d);
        }
    }

    private static byte[] le(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
    }

    /** Counters at one moment, to subtract. */
    private record Snapshot(long[] workerFrames, long bytes, long missed, Map<String, Map<String, Long>> verdicts, Map<Outcome.Fate, Long> fates,
                            Histogram latency) {
        /**
         * The hooks' verdicts summed over eth0 ({@code in}) and eth1 ({@code out}: tc egress runs on both,
         * and a tc redirect to eth1 meets it there); the fates of the frames taken in on eth0.
         */
        static Snapshot of(Datapath dp, Pipeline pipeline, dev.jxdp.hooks.Port in, dev.jxdp.hooks.Port out) {
            long[] frames = new long[dp.workerCount()];
            for (int i = 0; i < frames.length; i++) {
                frames[i] = dp.worker(i).counters.frames.get();
            }
            long bytes = 0;
            long missed = 0;
            Port source = dp.port(RX_IFINDEX);
            for (int q = 0; q < source.rxQueueCount(); q++) {
                bytes += source.rxQueue(q).bytes.get();
                missed += source.rxQueue(q).missed.get();
            }
            Map<String, Map<String, Long>> verdicts = new LinkedHashMap<>();
            for (Hook hook : Hook.values()) {
                for (dev.jxdp.hooks.Port port : List.of(in, out)) {
                    HookStats s = pipeline.stats(port, hook);
                    if (s.runs() > 0) {
                        Map<String, Long> sum = verdicts.computeIfAbsent(hookName(hook), h -> new LinkedHashMap<>());
                        s.verdicts().forEach((verdict, n) -> sum.merge(verdict, n, Long::sum));
                    }
                }
            }
            return new Snapshot(frames, bytes, missed, verdicts, pipeline.fates(in), pipeline.latencyEndToEnd());
        }

        /** How the frames taken in on eth0 between the two ended, by {@code jxdp stats}'s names of the fates. */
        static Map<String, Long> fateDelta(Snapshot before, Snapshot after) {
            Map<String, Long> d = new LinkedHashMap<>();
            after.fates.forEach((fate, n) -> {
                long delta = n - before.fates.getOrDefault(fate, 0L);
                if (delta > 0) {
                    d.put(fate.name().toLowerCase(Locale.ROOT), delta);
                }
            });
            return d;
        }

        static Map<String, Map<String, Long>> verdictDelta(Snapshot before, Snapshot after) {
            Map<String, Map<String, Long>> d = new LinkedHashMap<>();
            after.verdicts.forEach((hook, counts) -> {
                Map<String, Long> b = before.verdicts.getOrDefault(hook, Map.of());
                Map<String, Long> m = new LinkedHashMap<>();
                counts.forEach((verdict, n) -> {
                    long delta = n - b.getOrDefault(verdict, 0L);
                    if (delta > 0) {
                        m.put(verdict, delta);
                    }
                });
                if (!m.isEmpty()) {
                    d.put(hook, m);
                }
            });
            return d;
        }
    }

    private static String hookName(Hook hook) {
        return switch (hook) {
            case XDP -> "xdp";
            case TC_INGRESS -> "tc_ingress";
            case TC_EGRESS -> "tc_egress";
        };
    }
}
