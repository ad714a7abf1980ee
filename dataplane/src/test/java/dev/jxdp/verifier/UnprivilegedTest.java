package dev.jxdp.verifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jxdp.isa.Assembler;
import dev.jxdp.obj.ProgramType;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The stricter rules for an unprivileged loader ({@link VerifierOptions#privileged()} false). This
 * kernel refuses unprivileged BPF altogether (kernel.unprivileged_bpf_disabled = 2) and XDP needs
 * privileges anyway, so these expectations come from kernel/bpf/verifier.c's unprivileged branches
 * (env->bpf_capable, allow_ptr_leaks, allow_uninit_stack), not from running the kernel; the same
 * programs are accepted in privileged mode.
 */
class UnprivilegedTest {
    private static final VerifierOptions UNPRIV = VerifierOptions.defaults().withPrivileged(false);

    private static String refusal(String asm) {
        byte[] insns = Assembler.assemble(asm).toBytes();
        Verifier.verify("p", insns, ProgramType.XDP, List.of(), true, VerifierOptions.defaults()); // privileged: fine
        return assertThrows(VerifierException.class, () -> Verifier.verify("u", insns, ProgramType.XDP, List.of(), true, UNPRIV))
                .getMessage();
    }

    @Test
    void loopsAreBackEdges() {
        // check_cfg: without CAP_BPF any edge back to an instruction on the current DFS path is refused
        assertEquals("back-edge from insn 2 to 1", refusal("""
                r0 = 0
                loop:
                r0 += 1
                if r0 < 10 goto loop
                exit
                """));
    }

    @Test
    void uninitialisedStackIsUnreadable() {
        // check_stack_read_fixed_off: STACK_INVALID is readable only with allow_uninit_stack (the write
        // to fp-16 allocates the slot at fp-8 without initialising it)
        assertEquals("invalid read from stack off -8+0 size 8", refusal("""
                *(u64 *)(r10 - 16) = 0
                r0 = *(u64 *)(r10 - 8)
                r0 = 0
                exit
                """));
        // beyond what was ever allocated, the bounds check speaks first (check_stack_slot_within_bounds)
        assertEquals("invalid read from stack R10 off=-8 size=8", refusal("""
                r0 = *(u64 *)(r10 - 8)
                r0 = 0
                exit
                """));
    }

    @Test
    void pointersMayNotLeakIntoTheReturnValue() {
        assertEquals("R0 leaks addr as return value", refusal("""
                r0 = r10
                exit
                """));
    }

    @Test
    void pointerComparisonsAreRefused() {
        assertEquals("R1 pointer comparison prohibited", refusal("""
                r0 = 0
                if r1 == 0 goto +0
                exit
                """));
    }

    @Test
    void pointerDifferencesAreRefused() {
        assertEquals("R2 pointer -= pointer prohibited", refusal("""
                r2 = *(u32 *)(r1 + 4)
                r3 = *(u32 *)(r1 + 0)
                r2 -= r3
                r0 = 0
                exit
                """));
    }

    @Test
    void bpfToBpfCallsNeedRoot() {
        assertEquals("function calls to other bpf functions are allowed for root only", refusal("""
                call pc+2
                r0 = 0
                exit
                r0 = 1
                exit
                """));
    }
}
