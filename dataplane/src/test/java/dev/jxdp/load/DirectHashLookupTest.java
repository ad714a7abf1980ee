package dev.jxdp.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jxdp.exec.Engine;
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
import java.lang.classfile.CodeModel;
import java.lang.classfile.MethodModel;
import java.lang.classfile.instruction.InvokeInstruction;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 5: a bpf_map_lookup_elem that the verifier proved names one HASH map is a direct call on the
 * map held by the program's class (no helper, no key or value segment, no region unless a helper asks
 * for the run's regions), and the programs of programs/bin that look up such maps still give the
 * kernel's verdicts, frames and map contents.
 */
class DirectHashLookupTest {
    private static final Set<String> TIMED = Set.of("flows", "fdb", "streams", "sensors");

    /**
     * Every lookup of these programs is on a BPF_MAP_TYPE_HASH map (their sources say so), so every
     * lookup site calls the map's field and none reads the lookup helper's.
     */
    @ParameterizedTest
    @ValueSource(strings = {"xdp_flow_counter.o", "xdp_l2_switch.o", "xdp_sensor_telemetry.o", "tc_rtp_jitter.o"})
    void hashLookupsAreDirectCalls(String file) throws IOException {
        ObjectSpec spec = ObjectLoader.load(GeneratedCode.object(file), LoadOptions.defaults());
        LoadedObject.Options options = LoadedObject.Options.defaults().withWorkers(PossibleCpus.count()).withEngine(new Jit())
                .withProvider(PacketHelpers.INSTANCE);
        try (LoadedObject o = LoadedObject.load(spec, options)) {
            for (LoadedProgram p : o.programs()) {
                int lookups = GeneratedCode.lookupSites(p);
                assertTrue(lookups > 0, p.name() + " looks up a map");
                JitProgram jit = assertInstanceOf(JitProgram.class, p.executable());
                ClassModel cls = ClassFile.of().parse(jit.classFile());
                assertEquals(lookups, directLookups(cls), p.name() + ": direct lookups");
                assertEquals(lookups, GeneratedCode.count(cls, "invoke", "exposeHashValue"), p.name() + ": values noted");
                assertEquals(0, GeneratedCode.count(cls, "getstatic", "h1"), p.name() + ": reads of the lookup helper");
            }
        }
    }

    /**
     * A PERCPU_HASH lookup stays a helper call beside a direct HASH lookup in one program
     * (xdp_legacy_ethertype_filter: ethertype_deny is a HASH, ethertype_count a PERCPU_HASH).
     */
    @Test
    void perCpuHashLookupsStayHelperCalls() throws IOException {
        ObjectSpec spec = ObjectLoader.load(GeneratedCode.object("xdp_legacy_ethertype_filter.o"), LoadOptions.defaults());
        LoadedObject.Options options = LoadedObject.Options.defaults().withWorkers(PossibleCpus.count()).withEngine(new Jit())
                .withProvider(PacketHelpers.INSTANCE);
        try (LoadedObject o = LoadedObject.load(spec, options)) {
            LoadedProgram p = o.programs().getFirst();
            ClassModel cls = ClassFile.of().parse(assertInstanceOf(JitProgram.class, p.executable()).classFile());
            assertEquals(1, directLookups(cls), "the HASH lookup");
            assertEquals(1, GeneratedCode.count(cls, "getstatic", "h1"), "the PERCPU_HASH lookup's helper");
        }
    }

    /**
     * The kernel's results on the objects whose hash lookups are direct calls (xdp_legacy_ethertype_filter,
     * whose legacy map definitions libbpf refuses, is ProgRunCorpusKernelTest's).
     */
    @ParameterizedTest
    @ValueSource(strings = {"xdp_flow_counter.o", "xdp_l2_switch.o", "xdp_sensor_telemetry.o", "tc_rtp_jitter.o"})
    void directLookupsGiveTheKernelsResults(String file) throws IOException {
        ObjectComparison.compare(GeneratedCode.object(file), new ObjectComparison.Plan(Frames.all(), 3, TIMED));
    }

    /**
     * Hash values written through their pointers and handed to helpers, one of which reads the value
     * through the run's regions (perf output): helper-programs/hash_values.c on the JIT and on the
     * reference interpreter (whose lookups are helper calls) must return and leave the same.
     */
    @Test
    void helpersFindDirectLookupsValues() throws Exception {
        KernelComparisons.assume(Clang.clang().isPresent(), Clang.missingReason());
        ObjectSpec spec = GeneratedCode.helperProgram("hash_values");
        List<String> expected = runTwice(spec, new Interpreter());
        List<String> actual = runTwice(spec, new Jit());
        assertEquals(expected, actual);
        assertTrue(expected.stream().anyMatch(s -> s.startsWith("hash_val.bss")), expected.toString());
    }

    private static List<String> runTwice(ObjectSpec spec, Engine engine) {
        List<String> out = new ArrayList<>();
        try (LoadedObject o = LoadedObject.load(spec, LoadedObject.Options.defaults().withWorkers(1).withEngine(engine))) {
            LoadedProgram p = o.program("hash_values");
            for (int run = 0; run < 2; run++) {
                out.add("run " + run + ": " + p.run(Invocation.of(o.memory(), 0)));
                for (String map : List.of("vals", "hash_val.bss")) {
                    out.add(map + ": " + KernelDump.jxdp(o.map(map), false));
                }
            }
        }
        return out;
    }

    /** Calls of {@code HashLookup.lookup} in every method. */
    private static int directLookups(ClassModel cls) {
        int n = 0;
        for (MethodModel m : cls.methods()) {
            CodeModel code = m.code().orElse(null);
            if (code != null) {
                for (var e : code) {
                    if (e instanceof InvokeInstruction i && i.name().equalsString("lookup")
                            && i.owner().asInternalName().equals("dev/jxdp/jit/HashLookup")) {
                        n++;
                    }
                }
            }
        }
        return n;
    }
}
