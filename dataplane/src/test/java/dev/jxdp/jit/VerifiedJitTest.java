package dev.jxdp.jit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.jxdp.exec.Executable;
import dev.jxdp.exec.Helpers;
import dev.jxdp.exec.Interpreter;
import dev.jxdp.exec.RegionKind;
import dev.jxdp.obj.LoadOptions;
import dev.jxdp.obj.ObjectLoader;
import dev.jxdp.obj.ObjectSpec;
import dev.jxdp.testing.Repo;
import dev.jxdp.verifier.VerifiedProgram;
import dev.jxdp.verifier.Verifier;
import dev.jxdp.verifier.VerifierOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The verifier's proofs reach the JIT: every program of programs/bin, verified, compiles with the
 * accesses it proved as direct, unchecked memory accesses ({@link VerifiedFacts}), and gives the
 * same results as the checked interpreter on random frames (through {@link ObjectHarness}, the local
 * stand-in for maps and hooks).
 */
class VerifiedJitTest {
    private static final int FRAMES = Integer.getInteger("jxdp.corpus.frames", 150);

    @Test
    void verifiedProgramsRunDirectAndAgreeWithTheCheckedInterpreter() {
        Map<String, String> summary = new TreeMap<>();
        int direct = 0;
        for (Path object : Repo.programObjects()) {
            for (ObjectHarness.Linked p : ObjectHarness.programs(object)) {
                VerifiedProgram v = verify(object, p);
                VerifiedFacts facts = new VerifiedFacts(v);
                int[] kinds = count(p, facts);
                direct += kinds[0];
                summary.put(p.toString(), kinds[0] + " direct, " + kinds[1] + " checked");
                compare(p, facts);
            }
        }
        summary.forEach((p, s) -> System.out.println("verified jit: " + p + ": " + s));
        assertTrue(direct > 1000, "direct accesses in the corpus: " + direct);
    }

    /** Verified with the object's BTF, which says which functions are global. */
    private static VerifiedProgram verify(Path object, ObjectHarness.Linked p) {
        try {
            ObjectSpec spec = ObjectLoader.load(object, LoadOptions.defaults());
            return Verifier.verify(spec, p.program(), VerifierOptions.defaults());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Memory instructions planned direct and checked. */
    private static int[] count(ObjectHarness.Linked p, VerifiedFacts facts) {
        int[] n = new int[2];
        p.code().forEach((insn, pc) -> {
            if (facts.program().proof(pc) != null) {
                n[facts.access(pc) instanceof MemoryAccess.Direct ? 0 : 1]++;
            }
        });
        return n;
    }

    private static void compare(ObjectHarness.Linked p, VerifiedFacts facts) {
        Random random = new Random(p.toString().hashCode());
        try (Arena arena = Arena.ofConfined()) {
            ObjectHarness.Instance instance = ObjectHarness.Instance.of(p, arena);
            Helpers helpers = ObjectHarness.stubHelpers(p.helperIds());
            Executable interpreter = new Interpreter().prepare(instance.code(), helpers);
            Executable jit = new Jit().prepare(instance.code(), helpers, facts);
            MemorySegment packet = arena.allocate(9000, 8);
            for (int i = 0; i < FRAMES; i++) {
                byte[] frame = Frames.random(random);
                String expected = CorpusDifferentialTest.run(interpreter, p, instance, packet, frame, arena);
                String actual = CorpusDifferentialTest.run(jit, p, instance, packet, frame, arena);
                if (!expected.equals(actual)) {
                    fail(p + ", frame " + HexFormat.of().formatHex(frame) + ":\n  interpreter: " + expected + "\n  verified jit: " + actual);
                }
            }
        }
    }

    @Test
    void contextLoadsBecomeFieldLoadsAtTheirUapiOffsets() {
        Path object = Repo.programObjects().stream().filter(o -> o.getFileName().toString().equals("xdp_ipv4_filter.o")).findFirst()
                .orElseThrow();
        ObjectHarness.Linked p = ObjectHarness.programs(object).getFirst();
        VerifiedFacts facts = new VerifiedFacts(verify(object, p));
        // llvm-objdump: insn 0 is r3 = *(u32 *)(r1 + 0x4), insn 1 r1 = *(u32 *)(r1 + 0x0): xdp_md.data_end and
        // data at their offsets in include/uapi/linux/bpf.h; the packet loads after the bounds check are direct
        assertEquals(new MemoryAccess.ContextLoad(4), facts.access(0));
        assertEquals(new MemoryAccess.ContextLoad(0), facts.access(1));
        assertTrue(facts.program().ctxAccesses().containsKey(0));
        long packetDirect = facts.program().proofs().keySet().stream()
                .filter(pc -> facts.access(pc) instanceof MemoryAccess.Direct d && d.region() == RegionKind.PACKET).count();
        assertTrue(packetDirect > 5, "direct packet accesses: " + packetDirect);
    }
}
