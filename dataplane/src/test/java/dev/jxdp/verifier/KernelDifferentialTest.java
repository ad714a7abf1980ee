package dev.jxdp.verifier;

import dev.jxdp.diff.KernelVerdict;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jxdp.isa.Bytecode;
import dev.jxdp.isa.Disassembler;
import dev.jxdp.kernel.KernelComparisons;
import dev.jxdp.obj.MapContents;
import dev.jxdp.obj.MapConvention;
import dev.jxdp.obj.MapSpec;
import dev.jxdp.obj.MapType;
import dev.jxdp.obj.ProgramType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * jxdp's verifier against the kernel's on random programs ({@link RandomPrograms}): the same verdict,
 * and for refusals the kernel's log holds jxdp's first error line. {@code -Djxdp.verifier.fuzz=N} runs
 * N programs (default 300), {@code -Djxdp.verifier.fuzz.seed=S} a different sequence.
 */
class KernelDifferentialTest {
    static final MapSpec ARRAY = new MapSpec("arr", MapType.ARRAY, 4, 16, 4, 0, 0, 0, 0, null, new MapContents.Empty(),
            new MapSpec.MapOrigin(MapConvention.BTF_MAPS, "test", 0, 0, 0, null));
    static final MapSpec RINGBUF = new MapSpec("rb", MapType.RINGBUF, 0, 0, 4096, 0, 0, 0, 0, null, new MapContents.Empty(),
            new MapSpec.MapOrigin(MapConvention.BTF_MAPS, "test", 0, 0, 0, null));
    static final List<MapSpec> MAPS = List.of(ARRAY, RINGBUF);

    @Test
    void randomProgramsGetTheKernelsVerdict() {
        KernelComparisons.assumeKernel();
        int n = Integer.getInteger("jxdp.verifier.fuzz", 300);
        long seed = Long.getLong("jxdp.verifier.fuzz.seed", 1);
        RandomPrograms gen = new RandomPrograms(seed);
        List<String> failures = new ArrayList<>();
        int accepted = 0;
        for (int i = 0; i < n && failures.size() < 5; i++) {
            ProgramType type = i % 3 == 2 ? ProgramType.SCHED_CLS : ProgramType.XDP;
            Bytecode code = gen.next(2 + i % 10, type != ProgramType.XDP);
            byte[] bytes = code.toBytes();
            KernelVerdict k = KernelVerdict.load(type, bytes, MAPS, "GPL");
            String jxdp;
            boolean ok;
            try {
                Verifier.verify("fuzz", bytes, type, MAPS, true, VerifierOptions.defaults());
                jxdp = "accepted";
                ok = k.accepted();
                accepted++;
            } catch (VerifierException e) {
                jxdp = "rejected: " + e.getMessage();
                ok = !k.accepted() && k.log().contains(e.getMessage());
            }
            if (!ok) {
                failures.add(type.bpftoolName() + " program " + i + " (seed " + seed + "): jxdp " + jxdp + "; kernel " + (k.accepted() ? "accepted" : "rejected")
                        + "\n" + listing(code) + "kernel log:\n" + tail(k.log(), 6));
            }
        }
        System.out.println("verifier differential: " + n + " programs, " + accepted + " accepted by jxdp");
        assertTrue(failures.isEmpty(), () -> String.join("\n\n", failures));
    }

    private static String listing(Bytecode code) {
        StringBuilder sb = new StringBuilder();
        Disassembler d = new Disassembler();
        code.forEach((insn, pc) -> sb.append(String.format("%4d: %s%n", pc, d.format(insn, pc))));
        return sb.toString();
    }

    static String tail(String log, int n) {
        String[] lines = log.split("\n");
        return String.join("\n", java.util.Arrays.copyOfRange(lines, Math.max(0, lines.length - n), lines.length));
    }
}
