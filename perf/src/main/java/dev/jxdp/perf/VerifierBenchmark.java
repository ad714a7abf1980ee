package dev.jxdp.perf;

import dev.jxdp.obj.LoadOptions;
import dev.jxdp.obj.ObjectLoader;
import dev.jxdp.obj.ObjectSpec;
import dev.jxdp.verifier.VerifiedProgram;
import dev.jxdp.verifier.Verifier;
import dev.jxdp.verifier.VerifierInput;
import dev.jxdp.verifier.VerifierOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * jxdp's verifier against the kernel's loader on the same object, side by side in one run:
 * {@code verify} is jxdp verifying the program (object already parsed: the verifier alone);
 * {@code bpftoolLoad} is the wall time of {@code bpftool prog load OBJ PIN} (libbpf opens the object,
 * creates its maps, the kernel verifies and JITs the program, bpftool pins it) plus removing the pin,
 * which is what a user waits for. The ratio of the two is the figure to quote, with the machine.
 * {@code bpftoolLoad} needs root; elsewhere it fails and only {@code verify} is meaningful.
 *
 * <pre>
 * ./jxdp build
 * sudo java -jar perf/target/benchmarks.jar VerifierBenchmark
 * </pre>
 *
 * Run from the repository root (the objects are found under programs/bin). Default: the corpus's
 * largest program (xdp_payload_crc32, 36,911 instructions) and the one the verifier explores most
 * (xdp_syn_mss_guard, about 250,000 instructions processed).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {JxdpJvm.NATIVE_ACCESS, JxdpJvm.FULL_WIDTH_REFERENCES})
public class VerifierBenchmark {
    @Param({"xdp_payload_crc32", "xdp_syn_mss_guard"})
    public String program;

    private VerifierInput input;
    private Path object;
    private Path pin;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        object = Path.of("programs/bin", program + ".o").toAbsolutePath();
        if (!Files.isRegularFile(object)) {
            throw new IllegalStateException("no " + object + ": run the benchmark from the repository root");
        }
        ObjectSpec o = ObjectLoader.load(object, LoadOptions.defaults());
        input = VerifierInput.of(o, o.programs().getFirst());
        pin = Path.of("/sys/fs/bpf", "jxdp_bench_" + ProcessHandle.current().pid());
    }

    @Benchmark
    public VerifiedProgram verify() {
        return Verifier.verify(input, VerifierOptions.defaults());
    }

    @Benchmark
    public int bpftoolLoad() throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of("bpftool", "prog", "load", object.toString(), pin.toString()))
                .redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        int rc = p.waitFor();
        Files.deleteIfExists(pin);
        if (rc != 0) {
            throw new IllegalStateException("bpftool prog load failed (root needed): " + new String(out));
        }
        return rc;
    }
}
