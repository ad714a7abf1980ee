package dev.jxdp.perf;

import dev.jxdp.exec.Executable;
import dev.jxdp.exec.Helpers;
import dev.jxdp.exec.Interpreter;
import dev.jxdp.exec.Invocation;
import dev.jxdp.exec.MemoryMap;
import dev.jxdp.exec.Permission;
import dev.jxdp.exec.Region;
import dev.jxdp.exec.RegionKind;
import dev.jxdp.isa.Assembler;
import dev.jxdp.isa.Bytecode;
import dev.jxdp.jit.Jit;
import dev.jxdp.jit.MemoryAccess;
import dev.jxdp.jit.ProgramFacts;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
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
 * A first look at the engines on one ISA-vector-style program: FNV-1a (32-bit) over the input, a
 * loop of a byte load, two ALU operations and a compare per byte. Three engines: the interpreter,
 * the JIT as it runs today (every access checked through the region table), and the JIT with every
 * access planned direct, which is what the verifier will allow for this program. No kernel
 * comparison and no claims yet: per-run costs (a fresh stack, a copy of the region table) are in
 * every figure.
 *
 * <pre>
 * ./jxdp build   # or: mvn -pl perf -am package -DskipTests
 * java --enable-native-access=ALL-UNNAMED -jar perf/target/benchmarks.jar EngineBenchmark
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class EngineBenchmark {
    static final String FNV1A = """
            w0 = -0x7ee3623b
            r3 = 0x0
            loop:
            r4 = r1
            r4 += r3
            r5 = *(u8 *)(r4 + 0x0)
            w0 ^= w5
            w0 *= 0x1000193
            r3 += 0x1
            if r3 < r2 goto loop
            exit
            """;

    @Param({"interpreter", "jit", "jit-direct"})
    public String engine;

    @Param({"64", "1500"})
    public int bytes;

    private Arena arena;
    private Executable program;
    private Invocation invocation;

    @Setup(Level.Trial)
    public void setUp() {
        Bytecode code = Assembler.assemble(FNV1A);
        program = switch (engine) {
            case "interpreter" -> new Interpreter().prepare(code, Helpers.none());
            case "jit" -> new Jit().prepare(code, Helpers.none());
            case "jit-direct" -> new Jit().prepare(code, Helpers.none(), new ProgramFacts() {
                @Override
                public MemoryAccess access(int pc) {
                    return new MemoryAccess.Direct(RegionKind.INPUT); // the one load stays below r1 + r2
                }
            });
            default -> throw new IllegalArgumentException(engine);
        };
        arena = Arena.ofShared();
        MemorySegment mem = arena.allocate(bytes, 8);
        for (int i = 0; i < bytes; i++) {
            mem.set(java.lang.foreign.ValueLayout.JAVA_BYTE, i, (byte) (i * 31));
        }
        MemoryMap memory = new MemoryMap().add(new Region.Mem("mem", RegionKind.INPUT, mem, Permission.READ_WRITE));
        invocation = Invocation.of(memory, mem.address(), bytes);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    @Benchmark
    public long fnv1a() {
        return program.run(invocation);
    }
}
