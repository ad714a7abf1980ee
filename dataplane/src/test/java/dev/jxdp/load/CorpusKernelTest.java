package dev.jxdp.load;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jxdp.exec.Interpreter;
import dev.jxdp.kernel.PossibleCpus;
import dev.jxdp.obj.LoadOptions;
import dev.jxdp.obj.ObjectLoader;
import dev.jxdp.obj.ObjectSpec;
import dev.jxdp.testing.Repo;
import java.io.IOException;
import java.nio.file.Path;
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
        LoadedObject.Options base = LoadedObject.Options.defaults().withWorkers(PossibleCpus.count()).withEngine(new Interpreter());
        try {
            LoadedObject.load(spec, base).close();
        } catch (UnsupportedHelperException e) {
            assertTrue(e.getMessage().matches(".*(bpf_redirect_map|bpf_xdp_adjust_meta|bpf_xdp_load_bytes).*"), e.getMessage());
            return;
        }
        ObjectComparison.compare(object, new ObjectComparison.Plan(Frames.all(), 2, TIMED));
    }

}
