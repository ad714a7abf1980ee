package dev.jxdp.perf;

import dev.jxdp.exec.MemoryMap;
import dev.jxdp.load.LoadedObject;
import dev.jxdp.load.LoadedProgram;
import dev.jxdp.load.RandomSource;
import dev.jxdp.maps.EbpfMap;
import dev.jxdp.obj.MapType;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * ns per map lookup and update as a program sees them in jxdp: the {@link MapPrograms} programs run on
 * the JIT, each thread a packet worker; a lookup costs {@code lookup - baseline}, an update
 * {@code update - baseline}. Run beside {@link KernelMapCost}, which measures the same programs in the
 * kernel, and compare the differences as ratios (see perf/README.md).
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -jar perf/target/benchmarks.jar MapBenchmark
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {JxdpJvm.NATIVE_ACCESS, JxdpJvm.FULL_WIDTH_REFERENCES})
public class MapBenchmark {

    /** The loaded object and its full map, shared by the workers. */
    @State(Scope.Benchmark)
    public static class Loaded {
        @Param({"array", "hash", "lru_hash", "lpm_trie"})
        public String type;

        @Param({"1024", "1048576"})
        public int entries;

        LoadedObject object;
        LoadedProgram lookup;
        LoadedProgram update;
        LoadedProgram baseline;
        MemoryMap memory;
        final AtomicInteger workers = new AtomicInteger();

        @Setup(Level.Trial)
        public void load() {
            MapType t = MapPrograms.type(type);
            object = LoadedObject.load(MapPrograms.object(t, entries),
                    LoadedObject.Options.defaults().withWorkers(2).withRandom(RandomSource.seeded(1)));
            EbpfMap map = object.map("bench");
            byte[] value = new byte[8];
            if (t != MapType.ARRAY) {
                for (int i = 0; i < entries; i++) {
                    map.update(MapPrograms.key(t, i), value);
                }
            }
            lookup = object.program("lookup");
            update = object.program("update");
            baseline = object.program("baseline");
            memory = object.memory();
        }

        @TearDown(Level.Trial)
        public void close() {
            object.close();
        }
    }

    /** One packet worker: its index. */
    @State(Scope.Thread)
    public static class Worker {
        int index;

        @Setup(Level.Trial)
        public void join(Loaded l) {
            index = l.workers.getAndIncrement() % 2;
        }
    }

    private static long run(LoadedProgram p, Loaded l, Worker w) {
        return p.run(w.index, l.memory, 0, null);
    }

    @Benchmark
    @Threads(1)
    public long lookup1(Loaded l, Worker w) {
        return run(l.lookup, l, w);
    }

    @Benchmark
    @Threads(1)
    public long update1(Loaded l, Worker w) {
        return run(l.update, l, w);
    }

    @Benchmark
    @Threads(1)
    public long baseline1(Loaded l, Worker w) {
        return run(l.baseline, l, w);
    }

    @Benchmark
    @Threads(2)
    public long lookup2(Loaded l, Worker w) {
        return run(l.lookup, l, w);
    }

    @Benchmark
    @Threads(2)
    public long update2(Loaded l, Worker w) {
        return run(l.update, l, w);
    }

    @Benchmark
    @Threads(2)
    public long baseline2(Loaded l, Worker w) {
        return run(l.baseline, l, w);
    }
}
