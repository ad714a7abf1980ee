package dev.jxdp.perf;

import dev.jxdp.exec.Interpreter;
import dev.jxdp.hooks.Network;
import dev.jxdp.hooks.PacketHelpers;
import dev.jxdp.hooks.ProgTestRun;
import dev.jxdp.jit.Jit;
import dev.jxdp.kernel.TestRun;
import dev.jxdp.load.LoadedObject;
import dev.jxdp.load.LoadedProgram;
import dev.jxdp.obj.LoadOptions;
import dev.jxdp.obj.ObjectLoader;
import dev.jxdp.obj.ObjectSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The engines against the kernel on the same objects and the same 64-byte frame, in one JMH run: each
 * invocation is one BPF_PROG_TEST_RUN with {@code repeat} {@value #REPEAT} ({@code bpftool prog run ...
 * repeat N}), in the kernel through bpf(), or in jxdp through {@link ProgTestRun} (what {@code jxdp prog
 * run ... repeat N} does), so that JMH's ns per operation is ns per program run on both sides, with each
 * side's test-run set-up spread over the runs. The programs (programs/bin):
 *
 * <ul>
 *   <li>{@code xdp_pass}: return XDP_PASS, the fixed cost of a run;
 *   <li>{@code xdp_ipv4_filter}: 67 instructions, Ethernet, IPv4 with its header checksum checked
 *       (unrolled), L4 port rules (the frame passes them all);
 *   <li>{@code xdp_fnv_prefix_hash}: FNV-1a over the first 64 bytes in a loop clang keeps rolled, then a
 *       per-CPU array counter (about 650 instructions executed);
 *   <li>{@code xdp_flow_counter}: a 5-tuple hash map lookup and two atomic adds per frame.
 * </ul>
 *
 * The kernel side needs root (BPF_PROG_LOAD of XDP programs); its figures include the test run's fixed
 * overhead (about 26-32 ns on the development VMs), which {@code xdp_pass} shows.
 *
 * <pre>
 * ./jxdp build   # or: mvn -pl perf -am package -DskipTests
 * sudo java --enable-native-access=ALL-UNNAMED -jar perf/target/benchmarks.jar EngineBenchmark
 * </pre>
 * (from the repository root, or with {@code -Djxdp.programs=DIR} naming programs/bin and
 * {@code -Djxdp.frames=DIR} naming programs/frames).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {JxdpJvm.NATIVE_ACCESS, JxdpJvm.FULL_WIDTH_REFERENCES})
public class EngineBenchmark {
    /** Runs per BPF_PROG_TEST_RUN: enough that its set-up (a syscall, a page for the frame) is below 1 ns a run. */
    static final int REPEAT = 100_000;

    @Param({"xdp_pass", "xdp_ipv4_filter", "xdp_fnv_prefix_hash", "xdp_flow_counter"})
    public String program;

    @Param({"kernel", "jit", "interpreter"})
    public String engine;

    private byte[] frame;
    private KernelObject kernel;
    private LoadedObject object;
    private LoadedProgram loaded;
    private ProgTestRun.Input input;
    private TestRun kernelRun;
    private Network network;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        Path bin = Path.of(System.getProperty("jxdp.programs", "programs/bin"));
        Path frames = Path.of(System.getProperty("jxdp.frames", "programs/frames"));
        if (!Files.isDirectory(bin) || !Files.isDirectory(frames)) {
            throw new IllegalStateException("no " + bin.toAbsolutePath() + " or " + frames.toAbsolutePath()
                    + ": run from the repository root or set -Djxdp.programs and -Djxdp.frames");
        }
        frame = Files.readAllBytes(frames.resolve("udp64.bin"));
        ObjectSpec spec = ObjectLoader.load(bin.resolve(program + ".o"), LoadOptions.defaults());
        switch (engine) {
            case "kernel" -> {
                kernel = new KernelObject(spec, program);
                kernelRun = TestRun.of(frame).withRepeat(REPEAT);
            }
            case "jit", "interpreter" -> {
                LoadedObject.Options options = LoadedObject.Options.defaults().withWorkers(1).withProvider(PacketHelpers.INSTANCE)
                        .withEngine(engine.equals("jit") ? new Jit() : new Interpreter());
                object = LoadedObject.load(spec, options);
                loaded = object.program(program);
                input = ProgTestRun.Input.of(frame).withRepeat(REPEAT);
                network = Network.loopback();
            }
            default -> throw new IllegalArgumentException("engine " + engine + ": kernel, jit or interpreter");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (kernel != null) {
            kernel.close();
        }
        if (object != null) {
            object.close();
        }
    }

    @Benchmark
    @OperationsPerInvocation(REPEAT)
    public long run() {
        if (kernel != null) {
            return kernel.program.testRun(kernelRun).retval();
        }
        return ProgTestRun.run(loaded, input, network).retval();
    }
}
