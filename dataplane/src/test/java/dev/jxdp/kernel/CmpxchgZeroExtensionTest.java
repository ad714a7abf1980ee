package dev.jxdp.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jxdp.isa.Assembler;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/**
 * RFC 9669 5.3: after BPF_CMPXCHG "the value that was at dst + offset before the operation is
 * zero-extended and loaded back to R0", whether the exchange happened or not. In a main program the
 * kernel does so (its verifier adds an explicit zero-extension because x86's cmpxchg leaves rax alone
 * on success). The vector "cmpxchg W compares the low half of r0 only" is skipped in the kernel
 * because run as a bpf-to-bpf callee that zero-extension is missing; this test pins the RFC
 * behaviour where the kernel has it, so jxdp's choice rests on both.
 */
class CmpxchgZeroExtensionTest {

    @Test
    void thirtyTwoBitCmpxchgZeroExtendsR0() {
        KernelComparisons.assumeKernel();
        String program = """
                r6 = *(u32 *)(r1 + 0x0)
                r7 = *(u32 *)(r1 + 0x4)
                r8 = r6
                r8 += 0x10
                if r8 > r7 goto out
                r1 = 0xaaaaaaaa00000005 ll
                *(u64 *)(r10 - 0x8) = r1
                # success: the low word 5 matches; r0 gets the old word 5 zero-extended
                r0 = 0xffffffff00000005 ll
                w2 = 0x9
                w0 = cmpxchg32_32(r10 - 0x8, w0, w2)
                *(u64 *)(r6 + 0x0) = r0
                # failure: 6 does not match the word, now 9; r0 gets 9 zero-extended
                r0 = 0xffffffff00000006 ll
                w0 = cmpxchg32_32(r10 - 0x8, w0, w2)
                *(u64 *)(r6 + 0x8) = r0
                out:
                r0 = 0x2
                exit
                """;
        try (BpfProgram p = Bpf.loadProgram(ProgType.XDP, Assembler.assemble(program))) {
            ByteBuffer out = ByteBuffer.wrap(p.testRun(TestRun.of(new byte[64])).dataOut()).order(ByteOrder.LITTLE_ENDIAN);
            assertEquals(5L, out.getLong(0), "r0 after a successful 32-bit cmpxchg");
            assertEquals(9L, out.getLong(8), "r0 after a failed 32-bit cmpxchg");
        }
    }
}
