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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The pipeline's cost per frame, and what its latency histograms add to it: one worker takes a
 * 64-byte IPv4/UDP frame through XDP (programs/bin/xdp_ipv4_filter.o, which parses it, checks the
 * IPv4 header checksum and passes it), an skb, tc ingress (tc_meta_to_mark of
 * xdp_tc_meta_handoff.o) and the host sink. {@code sampling} is the latency sampling rate: 0 records
 * nothing, 16 (the default) times one frame in 16 at each hook and end to end, 1 times every frame.
 * The histograms' cost is the difference to {@code sampling=0}, measured in the same run.
 *
 * <pre>
 * ./jxdp build   # or: mvn -pl perf -am package -DskipTests
 * java --enable-native-access=ALL-UNNAMED -jar perf/target/benchmarks.jar PipelineBenchmark
 * </pre>
 * (from the repository root, or with {@code -Djxdp.programs=DIR} naming programs/bin).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 10, time = 2)
@Fork(value = 1, jvmArgsAppend = {JxdpJvm.NATIVE_ACCESS, JxdpJvm.FULL_WIDTH_REFERENCES})
public class PipelineBenchmark {
    /** make_packets.py's udp64: IPv4/UDP from 10.0.0.1 to 10.0.0.2, correct checksums. */
    static final String UDP64 = "0200000000020200000000010800450000321234400040111485"
            + "0a0000010a0000029c400009001ee0ec000102030405060708090a0b0c0d0e0f101112131415";

    @Param({"0", "16", "1"})
    public int sampling;

    private Arena arena;
    private LoadedObject filter;
    private LoadedObject tc;
    private Worker worker;
    private Port port;
    private MemorySegment buffer;
    private byte[] frame;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        Path bin = Path.of(System.getProperty("jxdp.programs", "programs/bin"));
        if (!Files.isDirectory(bin)) {
            throw new IllegalStateException("no " + bin.toAbsolutePath() + ": run from the repository root or set -Djxdp.programs");
        }
        Pipeline pipeline = Pipeline.builder().workers(1).latencySampling(sampling).build();
        port = pipeline.addPort(new Device(2, "eth0", new byte[] {2, 0, 0, 0, 0, 2}, 1500, 1, 0), PortSink.DISCARD);
        filter = LoadedObject.load(ObjectLoader.load(bin.resolve("xdp_ipv4_filter.o"), LoadOptions.defaults()), pipeline.objectOptions());
        tc = LoadedObject.load(ObjectLoader.load(bin.resolve("xdp_tc_meta_handoff.o"), LoadOptions.defaults()), pipeline.objectOptions());
        pipeline.attachXdp(port, filter.program("xdp_ipv4_filter"));
        pipeline.attachTc(port, Hook.TC_INGRESS, tc.program("tc_meta_to_mark"));
        worker = pipeline.worker(0);
        arena = Arena.ofConfined();
        buffer = arena.allocate(4096, 64);
        frame = java.util.HexFormat.of().parseHex(UDP64);
        MemorySegment.copy(MemorySegment.ofArray(frame), 0, buffer, 256, frame.length);
        if (receive().fate() != Outcome.Fate.TO_HOST) {
            throw new IllegalStateException("the frame does not reach the host");
        }
    }

    @Benchmark
    public Outcome receive() {
        return worker.receive(port, 0, buffer, 256, frame.length);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        filter.close();
        tc.close();
        arena.close();
    }
}
