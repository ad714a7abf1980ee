package dev.jxdp.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/** Budgets, frames, packets and function addresses. */
class RunLimitsTest {

    /** The engine under test; the JIT's subclass overrides it. */
    Engine engine() {
        return new Interpreter();
    }

    final Programs programs = new Programs(engine());

    @Test
    void budgetCountsExecutedInstructions() {
        String loop = "r0 = 0x0\nr1 = 0x3\nl: r0 += 0x1\nr1 -= 0x1\nif r1 != 0x0 goto l\nexit";
        // 2 + 3 * 3 + 1 = 12 instructions
        Executable p = programs.prepare(loop);
        assertEquals(3, p.run(Invocation.of(new MemoryMap()).withBudget(12)));
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> p.run(Invocation.of(new MemoryMap()).withBudget(11)));
        assertEquals("insn 5 (exit): instruction budget of 11 exhausted (runaway program?)", e.getMessage());
    }

    @Test
    void eachFrameHasItsOwnStackAndR10() {
        // f returns its r10; main compares with its own: frames are 1024 bytes apart (512 + gap).
        long delta = programs.run("""
                call f
                r1 = r10
                r1 -= r0
                r0 = r1
                exit
                f:
                r0 = r10
                exit
                """);
        assertEquals(-1024, delta);
    }

    @Test
    void callerFrameSurvivesTheCallee() {
        assertEquals(0x1111, programs.run("""
                *(u64 *)(r10 - 0x8) = 0x1111
                call f
                r0 = *(u64 *)(r10 - 0x8)
                exit
                f:
                *(u64 *)(r10 - 0x8) = 0x2222
                r0 = 0x0
                exit
                """));
    }

    @Test
    void aReturnedFrameIsNoLongerARegion() {
        // f leaks a pointer into its frame; after f returns, using it is refused.
        ExecutionException e = assertThrows(ExecutionException.class, () -> programs.run("""
                call f
                r0 = *(u64 *)(r0 + 0x0)
                exit
                f:
                *(u64 *)(r10 - 0x8) = 0x1
                r0 = r10
                r0 += -0x8
                exit
                """));
        assertEquals(1, e.pc());
        assertEquals(true, e.getMessage().endsWith("outside all regions"), e.getMessage());
    }

    @Test
    void packetLoadsNeedAPacket() {
        ExecutionException e = assertThrows(ExecutionException.class, () -> programs.run("r0 = *(u8 *)skb[0x0]\nexit"));
        assertEquals("insn 0 (r0 = *(u8 *)skb[0x0]): LD_ABS/LD_IND need a packet, and this run has none", e.getMessage());
    }

    @Test
    void packetLoadsReadThePacketNotTheRegions() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment packet = arena.allocate(4);
            packet.copyFrom(MemorySegment.ofArray(new byte[] {1, 2, 3, 4}));
            long r0 = programs.run("r0 = *(u32 *)skb[0x0]\nexit", Invocation.of(new MemoryMap()).withPacket(packet));
            assertEquals(0x01020304, r0);
        }
    }

    @Test
    void functionAddressesAreTaggedSlots() {
        // slots 0-1 ld_pseudo, 2 exit, 3 the function: imm 2 -> 0 + 1 + 2 = 3
        long f = programs.run("ld_pseudo r0, 0x4, 0x2\nexit\nr0 = 0x0\nexit");
        assertEquals(FunctionAddress.of(3), f);
        assertEquals(3, FunctionAddress.slotOf(f));
        assertEquals(-1, FunctionAddress.slotOf(3));
        assertNotEquals(0, f & FunctionAddress.TAG);
    }

    @Test
    void calleeFaultNamesTheCalleeInstruction() {
        ExecutionException e = assertThrows(ExecutionException.class, () -> programs.run("""
                r0 = 0x0
                call f
                exit
                f:
                r0 = *(u8 *)(r10 + 0x0)
                exit
                """));
        assertEquals(3, e.pc());
    }
}
