package dev.jxdp.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jxdp.exec.Engine;
import dev.jxdp.exec.ExecutionException;
import dev.jxdp.exec.Interpreter;
import dev.jxdp.exec.Invocation;
import dev.jxdp.hooks.PacketHelpers;
import dev.jxdp.jit.Jit;
import dev.jxdp.jit.JitProgram;
import dev.jxdp.kernel.KernelComparisons;
import dev.jxdp.kernel.PossibleCpus;
import dev.jxdp.obj.LoadOptions;
import dev.jxdp.obj.ObjectLoader;
import dev.jxdp.obj.ObjectSpec;
import dev.jxdp.testing.Clang;
import java.io.IOException;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 5: a bpf_map_lookup_elem that the verifier proved names one ARRAY or PERCPU_ARRAY map runs
 * inline in the program's class (an address computation, no helper call), and the programs of
 * programs/bin that look up such maps still give the kernel's verdicts, frames and map contents.
 */
class InlineArrayLookupTest {
    private static final Set<String> TIMED = Set.of("buckets", "streams", "fdb");

    /**
     * Every lookup of these programs is on an array map (the sources say so: {@code BPF_MAP_TYPE_ARRAY}
     * maps in xdp_loop_histogram and xdp_icmp_firewall, {@code BPF_MAP_TYPE_PERCPU_ARRAY} in
     * xdp_fnv_prefix_hash and xdp_proto_counter), so each lookup site notes an inline value and no
     * plain array site reads the helper's field; a per-CPU site keeps the helper only for a worker the
     * map has no values for, one call per site.
     */
    @ParameterizedTest
    @CsvSource({"xdp_loop_histogram.o, false", "xdp_icmp_firewall.o, false", "xdp_fnv_prefix_hash.o, true",
            "xdp_proto_counter.o, true"})
    void arrayLookupsRunInline(String file, boolean perCpu) throws IOException {
        ObjectSpec spec = ObjectLoader.load(GeneratedCode.object(file), LoadOptions.defaults());
        LoadedObject.Options options = LoadedObject.Options.defaults().withWorkers(PossibleCpus.count()).withEngine(new Jit())
                .withProvider(PacketHelpers.INSTANCE);
        try (LoadedObject o = LoadedObject.load(spec, options)) {
            for (LoadedProgram p : o.programs()) {
                int lookups = GeneratedCode.lookupSites(p);
                assertTrue(lookups > 0, p.name() + " looks up a map");
                JitProgram jit = assertInstanceOf(JitProgram.class, p.executable());
                ClassModel cls = ClassFile.of().parse(jit.classFile());
                assertEquals(lookups, GeneratedCode.count(cls, "invoke", "exposeArrayValue"), p.name() + ": inline lookups");
                assertEquals(perCpu ? lookups : 0, GeneratedCode.count(cls, "getstatic", "h1"), p.name() + ": reads of the lookup helper");
                assertTrue(cls.fields().stream().anyMatch(f -> f.fieldName().equalsString("m0")), p.name() + ": the map's field");
            }
        }
    }

    /** The kernel's results on the objects whose lookups run inline, and on one that mixes in an LRU hash. */
    @ParameterizedTest
    @ValueSource(strings = {"xdp_loop_histogram.o", "xdp_icmp_firewall.o", "xdp_fnv_prefix_hash.o", "xdp_proto_counter.o",
            "xdp_syn_mss_guard.o", "xdp_token_bucket_atomic.o"})
    void inlineLookupsGiveTheKernelsResults(String file) throws IOException {
        ObjectComparison.compare(GeneratedCode.object(file), new ObjectComparison.Plan(Frames.all(), 3, TIMED));
    }

    /**
     * A per-CPU inline lookup takes the worker's value, and a worker the map has no values for gets the
     * helper's error: helper-programs/array_values.c (which reads nothing of its context) run directly
     * on workers 0-2 of a three-worker object and on worker 3, on the JIT and on the reference
     * interpreter (whose lookups are helper calls), must leave the same maps and fail the same way.
     */
    @Test
    void perCpuLookupsUseTheWorkersValue() throws Exception {
        KernelComparisons.assume(Clang.clang().isPresent(), Clang.missingReason());
        ObjectSpec spec = GeneratedCode.helperProgram("array_values");
        List<String> expected = runOnWorkers(spec, new Interpreter());
        List<String> actual = runOnWorkers(spec, new Jit());
        assertEquals(expected, actual);
        assertTrue(expected.getLast().contains("per-CPU map 'pcpu'"), expected.getLast());
    }

    private static List<String> runOnWorkers(ObjectSpec spec, Engine engine) {
        List<String> out = new ArrayList<>();
        try (LoadedObject o = LoadedObject.load(spec, LoadedObject.Options.defaults().withWorkers(3).withEngine(engine))) {
            LoadedProgram p = o.program("array_values");
            for (int worker = 0; worker < 3; worker++) {
                out.add("worker " + worker + ": " + p.run(Invocation.of(o.memory(), 0).withWorker(worker)));
            }
            for (String map : List.of("pcpu", "vals", "texts", "counts", "array_va.bss")) {
                out.add(map + ": " + KernelDump.jxdp(o.map(map), false));
            }
            try {
                p.run(Invocation.of(o.memory(), 0).withWorker(3));
                out.add("worker 3: no error");
            } catch (ExecutionException e) {
                out.add("worker 3: " + e.getMessage());
            }
        }
        return out;
    }
}
