package dev.jxdp.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jxdp.exec.Engine;
import dev.jxdp.exec.Interpreter;
import dev.jxdp.jit.Jit;
import dev.jxdp.kernel.KernelComparisons;
import dev.jxdp.kernel.PossibleCpus;
import dev.jxdp.maps.EbpfMap;
import dev.jxdp.obj.LoadOptions;
import dev.jxdp.obj.MapSpec;
import dev.jxdp.obj.MapType;
import dev.jxdp.obj.ObjectLoader;
import dev.jxdp.obj.ObjectSpec;
import dev.jxdp.obj.ProgramSpec;
import dev.jxdp.obj.ProgramType;
import dev.jxdp.testing.Repo;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every object of programs/bin loaded into the kernel (bpftool prog loadall) and into jxdp (both
 * engines), every program run on every test frame of make_packets.py twice, in the same order, on CPU 0
 * (worker 0): the same verdicts, the same frames afterwards, and the same map contents at the end.
 *
 * <p>Objects that call packet helpers (the hooks' part: bpf_redirect_map, bpf_xdp_adjust_meta,
 * bpf_xdp_load_bytes) must be refused at load, naming those helpers. Maps whose values are kernel
 * object ids (prog arrays, map-in-maps) or that bpftool cannot dump (ring buffers) are not compared;
 * maps whose values hold timestamps are compared by their keys.
 */
class CorpusKernelTest {

    /** Objects libbpf 1.x (and so bpftool) refuses; the object loader's tests cover them. */
    private static final Set<String> LEGACY = Set.of("xdp_legacy_ethertype_filter.o", "tc_iproute2_dscp_classifier.o");
    /** Maps whose values hold bpf_ktime_get_ns(): compared by key only. */
    private static final Set<String> TIMED = Set.of("buckets", "streams");

    @TestFactory
    Stream<DynamicTest> everyObjectAgreesWithTheKernel() {
        return Repo.programObjects().stream()
                .filter(p -> !LEGACY.contains(p.getFileName().toString()))
                .map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> compare(p)));
    }

    private static void compare(Path object) throws IOException {
        ObjectSpec spec = ObjectLoader.load(object, LoadOptions.defaults());
        LoadedObject.Options base = LoadedObject.Options.defaults().withWorkers(cpus()).withEngine(new Interpreter());
        try {
            LoadedObject.load(spec, base).close();
        } catch (UnsupportedHelperException e) {
            assertTrue(e.getMessage().matches(".*(bpf_redirect_map|bpf_xdp_adjust_meta|bpf_xdp_load_bytes).*"), e.getMessage());
            return;
        }
        String reason = Bpftool.unavailableReason();
        KernelComparisons.assume(reason == null, reason);
        Map<String, byte[]> frames = Frames.all();
        List<String> kernelRuns = new ArrayList<>();
        Map<String, List<String>> kernelMaps = new java.util.LinkedHashMap<>();
        try (var pinned = dev.jxdp.testing.Affinity.pin(0); Bpftool bt = new Bpftool(object)) {
            for (ProgramSpec p : spec.programs()) {
                for (Map.Entry<String, byte[]> f : frames.entrySet()) {
                    for (int i = 0; i < 2; i++) {
                        Bpftool.Result r = bt.runProgram(p.name(), f.getValue(), 1);
                        kernelRuns.add(line(p, f.getKey(), r.retval(), f.getValue(), r.dataOut()));
                    }
                }
            }
            for (MapSpec m : spec.maps()) {
                if (compared(m)) {
                    kernelMaps.put(m.name(), KernelDump.kernel(bt.dump(m.kernelName().replace('.', '_')), m.type(),
                            TIMED.contains(m.name())));
                }
            }
            for (Engine engine : List.of(new Interpreter(), new Jit())) {
                try (LoadedObject o = LoadedObject.load(spec, base.withEngine(engine)); Arena arena = Arena.ofConfined()) {
                    List<String> runs = new ArrayList<>();
                    for (ProgramSpec p : spec.programs()) {
                        for (Map.Entry<String, byte[]> f : frames.entrySet()) {
                            for (int i = 0; i < 2; i++) {
                                Contexts.Frame fr = p.type() == ProgramType.XDP ? Contexts.xdp(arena, o, f.getValue())
                                        : Contexts.skb(arena, o, f.getValue());
                                long r0 = o.program(p.name()).run(0, fr.memory(), fr.ctx(), fr.packet());
                                runs.add(line(p, f.getKey(), (int) r0, f.getValue(), fr.bytes()));
                            }
                        }
                    }
                    String who = engine.getClass().getSimpleName();
                    dev.jxdp.maps.DifferentialAccess.assertLines(kernelRuns, runs, who + " runs");
                    for (Map.Entry<String, List<String>> km : kernelMaps.entrySet()) {
                        EbpfMap m = o.map(km.getKey());
                        assertEquals(km.getValue(), KernelDump.jxdp(m, TIMED.contains(km.getKey())), who + ": map " + km.getKey());
                    }
                }
            }
        }
    }

    private static boolean compared(MapSpec m) {
        return m.type() != MapType.PROG_ARRAY && !m.type().isMapInMap() && m.type() != MapType.RINGBUF
                && m.type() != MapType.PERF_EVENT_ARRAY;
    }

    private static String line(ProgramSpec p, String frame, int retval, byte[] in, byte[] out) {
        return p.name() + " " + frame + ": " + retval + (java.util.Arrays.equals(in, out) ? "" : " frame " + HexFormat.of().formatHex(out));
    }

    private static int cpus() {
        return PossibleCpus.count();
    }
}
