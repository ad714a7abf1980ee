package dev.jxdp.diff;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jxdp.exec.Interpreter;
import dev.jxdp.jit.Jit;
import dev.jxdp.kernel.KernelComparisons;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Issue 8's oracle in the test suite: every XDP and tc program of programs/bin diffed against the
 * kernel ({@link DiffRunner}, the JIT; the interpreter on two of them) on every capture of pcap-corpus/ and on the edge-case frames,
 * packet by packet with map state carried over, and required to show no difference. Each pair is
 * a kernel comparison in the "kernel comparisons: N run, M skipped" line.
 */
class CorpusDiffKernelTest {
    private static final AtomicInteger PACKETS = new AtomicInteger();
    private static final AtomicInteger COMPARED = new AtomicInteger();
    private static final AtomicInteger PAIRS = new AtomicInteger();

    @TestFactory
    Stream<DynamicTest> everyProgramOnEveryCaptureAgreesWithTheKernel() throws Exception {
        Map<String, List<byte[]>> captures = DiffCorpus.captures();
        List<DynamicTest> tests = new ArrayList<>();
        for (DiffCorpus.Target t : DiffCorpus.targets()) {
            for (Map.Entry<String, List<byte[]>> c : captures.entrySet()) {
                tests.add(DynamicTest.dynamicTest(t.label() + " on " + c.getKey(), () -> {
                    String reason = DiffRunner.unavailableReason();
                    KernelComparisons.assume(reason == null, reason);
                    DiffReport r = t.diff(c.getValue(), new Jit());
                    PACKETS.addAndGet(r.packets());
                    COMPARED.addAndGet(r.compared());
                    PAIRS.incrementAndGet();
                    assertTrue(r.same(), () -> describe(t.label() + " on " + c.getKey(), r));
                }));
            }
        }
        return tests.stream();
    }

    /** The reference interpreter too, on the captures with the most edges (fragments, and the edge frames). */
    @TestFactory
    Stream<DynamicTest> theInterpreterAgreesWithTheKernelToo() throws Exception {
        Map<String, List<byte[]>> captures = DiffCorpus.captures();
        List<DynamicTest> tests = new ArrayList<>();
        for (DiffCorpus.Target t : DiffCorpus.targets()) {
            for (String c : List.of("fragments.pcap", "edge-frames")) {
                tests.add(DynamicTest.dynamicTest(t.label() + " on " + c + " (interpreter)", () -> {
                    String reason = DiffRunner.unavailableReason();
                    KernelComparisons.assume(reason == null, reason);
                    DiffReport r = t.diff(captures.get(c), new Interpreter());
                    assertTrue(r.same(), () -> describe(t.label() + " on " + c + " (interpreter)", r));
                }));
            }
        }
        return tests.stream();
    }

    @AfterAll
    static void summary() {
        if (PAIRS.get() > 0) {
            System.out.println("kernel diff: " + PAIRS.get() + " program/capture pairs, " + PACKETS.get() + " packets, "
                    + COMPARED.get() + " compared (the rest follow a random draw)");
        }
    }

    static String describe(String what, DiffReport r) {
        StringBuilder sb = new StringBuilder(what + ": " + r.summary());
        r.difference().ifPresent(d -> {
            sb.append("\npacket ").append(d.packet()).append(": ").append(d.field()).append("\n  jxdp:   ").append(d.jxdp())
                    .append("\n  kernel: ").append(d.kernel());
            d.context().forEach(l -> sb.append("\n  ").append(l));
        });
        r.notes().forEach(n -> sb.append("\nnote: ").append(n));
        return sb.toString();
    }
}
