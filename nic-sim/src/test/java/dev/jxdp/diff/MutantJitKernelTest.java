package dev.jxdp.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jxdp.jit.Jit;
import dev.jxdp.kernel.KernelComparisons;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The diff tests catch a wrong JIT: with the JIT's test-only mutant on ({@code jxdp.test.mutant=
 * signed-compare}: signed jumps compiled as unsigned, dev.jxdp.jit.JumpGen), diffing the corpus
 * programs that have signed jumps on the corpus captures must show a difference; with it off, the
 * same runs show none.
 */
class MutantJitKernelTest {
    private static final String PROPERTY = "jxdp.test.mutant";

    @Test
    void aJitThatComparesSignedAsUnsignedIsCaught() throws Exception {
        String reason = DiffRunner.unavailableReason();
        KernelComparisons.assume(reason == null, reason);
        List<DiffCorpus.Target> signed = DiffCorpus.targets().stream()
                .filter(t -> t.label().startsWith("xdp_subprog_udp_filter.o") || t.label().startsWith("xdp_sensor_telemetry.o")
                        || t.label().startsWith("xdp_syn_mss_guard.o"))
                .toList();
        Map<String, List<byte[]>> captures = DiffCorpus.captures();
        List<String> caught = runAll(signed, captures, true);
        assertTrue(!caught.isEmpty(), "the signed-compare mutant went unnoticed by " + signed.size() + " programs on "
                + captures.size() + " captures");
        System.out.println("mutant signed-compare caught: " + caught.getFirst());
        assertEquals(List.of(), runAll(signed, captures, false), "without the mutant");
    }

    private static List<String> runAll(List<DiffCorpus.Target> targets, Map<String, List<byte[]>> captures, boolean mutant)
            throws Exception {
        List<String> differences = new ArrayList<>();
        if (mutant) {
            System.setProperty(PROPERTY, "signed-compare");
        }
        try {
            for (DiffCorpus.Target t : targets) {
                for (Map.Entry<String, List<byte[]>> c : captures.entrySet()) {
                    DiffReport r = t.diff(c.getValue(), new Jit());
                    if (!r.same()) {
                        Difference d = r.difference().orElseThrow();
                        differences.add(t.label() + " on " + c.getKey() + ": packet " + d.packet() + ", " + d.field() + ": jxdp "
                                + d.jxdp() + ", kernel " + d.kernel());
                    }
                }
            }
        } finally {
            System.clearProperty(PROPERTY);
        }
        return differences;
    }
}
