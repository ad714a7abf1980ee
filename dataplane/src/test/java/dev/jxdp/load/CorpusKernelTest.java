package dev.jxdp.load;

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
 * <p>Programs run as BPF_PROG_TEST_RUN runs them, through the hooks ({@code dev.jxdp.hooks.ProgTestRun},
 * with the packet helpers). Maps whose values are kernel object ids (prog arrays, map-in-maps) or that
 * bpftool cannot dump (ring buffers; devmap slots, which it shows as errors when empty) are not
 * compared; maps whose values hold timestamps are compared by their keys.
 */
class CorpusKernelTest {

    /** Objects libbpf 1.x (and so bpftool) refuses; the object loader's tests cover them. */
    private static final Set<String> LEGACY = Set.of("xdp_legacy_ethertype_filter.o", "tc_iproute2_dscp_classifier.o");
    /** Maps whose values hold bpf_ktime_get_ns(): compared by key only. */
    private static final Set<String> TIMED = Set.of("buckets", "streams", "fdb");

    @TestFactory
    Stream<DynamicTest> everyObjectAgreesWithTheKernel() {
        return Repo.programObjects().stream()
                .filter(p -> !LEGACY.contains(p.getFileName().toString()))
                .map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> compare(p)));
    }

    private static void compare(Path object) throws IOException {
        ObjectComparison.compare(object, new ObjectComparison.Plan(Frames.all(), 2, TIMED));
    }

}
