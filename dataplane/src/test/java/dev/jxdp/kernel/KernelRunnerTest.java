package dev.jxdp.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jxdp.isa.Assembler;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Bodies run in the XDP harness; every expected value is reasoned from RFC 9669, not taken from a run. */
class KernelRunnerTest {

    @BeforeEach
    void kernel() {
        KernelComparisons.assumeKernel();
    }

    private static KernelResult run(String asm, byte[] mem) {
        return KernelRunner.runBody(Assembler.assemble(asm), mem);
    }

    @Test
    void returnsConstant() {
        KernelResult r = run("r0 = 0x7\nexit", new byte[0]);
        assertEquals(7, r.r0());
        assertEquals(64, r.r0Bits());
    }

    @Test
    void returnsAll64Bits() {
        // lddw puts (next_imm << 32) | imm in r0 (RFC 9669 5.4); the upper word only survives if the
        // harness stores the whole register.
        assertEquals(0x1_2345_6789L, run("r0 = 0x123456789 ll\nexit", new byte[0]).r0());
        // ALU64 MOV sign-extends its 32-bit immediate (RFC 9669 4.1): -1 is all ones.
        assertEquals(-1L, run("r0 = -1\nexit", new byte[0]).r0());
    }

    @Test
    void r2IsTheLengthWithoutPadding() {
        // 3 bytes of mem is shorter than ETH_HLEN, so the packet is padded; r2 must still say 3.
        assertEquals(3, run("r0 = r2\nexit", new byte[3]).r0());
        assertEquals(100, run("r0 = r2\nexit", new byte[100]).r0());
    }

    @Test
    void memMustFitTheLinearPacket() {
        // 3000 bytes fit in one page with the XDP headroom; 4000 cannot, and the harness says so
        // instead of returning a wrong r0.
        assertEquals(3000, run("r0 = r2\nexit", new byte[3000]).r0());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> run("r0 = r2\nexit", new byte[4000]));
        assertTrue(e.getMessage().contains("linear packet bytes"), e.getMessage());
    }

    @Test
    void readsMem() {
        byte[] mem = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        // A u64 load from mem + 1 reads bytes 2..9 in host (little-endian) order.
        assertEquals(0x09_08_07_06_05_04_03_02L, run("r0 = *(u64 *)(r1 + 0x1)\nexit", mem).r0());
        // The last byte is inside the range the harness proved, so the verifier lets the callee read it.
        assertEquals(9, run("r0 = *(u8 *)(r1 + 0x8)\nexit", mem).r0());
    }

    @Test
    void writesMem() {
        byte[] mem = new byte[6];
        KernelResult r = run("""
                *(u32 *)(r1 + 0x0) = 0x11223344
                r3 = 0xab
                *(u8 *)(r1 + 0x5) = r3
                r0 = 0x0
                exit""", mem);
        // Little-endian store of 0x11223344 at 0, one byte at 5, byte 4 untouched.
        assertArrayEquals(new byte[] {0x44, 0x33, 0x22, 0x11, 0, (byte) 0xab}, r.memOut());
        assertEquals(0, r.r0());
        assertArrayEquals(new byte[6], mem, "the caller's array is not modified");
    }

    @Test
    void divisionByZeroGivesZero() {
        // RFC 9669 4.1: "If BPF program execution would result in division by zero, the destination
        // register is instead set to zero." The divisor comes from a register, since the verifier
        // refuses a constant zero divisor.
        assertEquals(0, run("r0 = 0x9\nr3 = 0x0\nr0 /= r3\nexit", new byte[0]).r0());
        // And for modulo, "the value of the destination register is unchanged" (ALU64).
        assertEquals(9, run("r0 = 0x9\nr3 = 0x0\nr0 %= r3\nexit", new byte[0]).r0());
        // 32-bit modulo by zero keeps the low half and zeroes the upper 32 bits.
        assertEquals(0xffff_ffffL, run("r0 = -1\nr3 = 0x0\nw0 %= w3\nexit", new byte[0]).r0());
    }

    @Test
    void bodyWithItsOwnCall() {
        // The body's bpf-to-bpf call is relative, so it still lands on f after the harness is prepended.
        assertEquals(42, run("""
                call f
                r0 += 0x2
                exit
                f:
                r0 = 0x28
                exit""", new byte[0]).r0());
    }

    @Test
    void readingPastMemIsRejected() {
        // mem is 9 bytes: offset 9 is the first byte the harness's range check did not cover, so the
        // callee sees the caller's packet range exactly (readsMem shows offset 8 is allowed).
        // check_packet_access() in kernel/bpf/verifier.c explains such a refusal in two lines.
        ProgLoadException e = assertThrows(ProgLoadException.class,
                () -> run("r0 = *(u8 *)(r1 + 0x9)\nexit", new byte[9]));
        assertEquals("R1 offset is outside of the packet", e.verifierMessage());
        assertTrue(e.getMessage().lines().findFirst().orElseThrow().endsWith(": R1 offset is outside of the packet"));
        assertTrue(e.verifierLog().contains("invalid access to packet"), e.verifierLog());
        assertTrue(e.getMessage().contains("the body starts at insn 14"), e.getMessage());
    }

    @Test
    void uninitialisedRegisterIsRejected() {
        // r5 is not an argument of the body, so it is not readable (the verifier's "R5 !read_ok").
        ProgLoadException e = assertThrows(ProgLoadException.class, () -> run("r0 = r5\nexit", new byte[0]));
        assertEquals("EACCES", e.errno().name());
        assertEquals("R5 !read_ok", e.verifierMessage());
        assertTrue(e.getMessage().startsWith("bpf(BPF_PROG_LOAD) of XDP program \"jxdp_body\" failed with EACCES"
                + " (Permission denied): R5 !read_ok"), e.getMessage());
    }
}
