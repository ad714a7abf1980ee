package dev.jxdp.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jxdp.isa.Assembler;
import dev.jxdp.isa.Bytecode;
import org.junit.jupiter.api.Test;

/** LD_ABS/LD_IND bodies in the tc harness, where mem is the packet itself. */
class LegacyPacketBodyTest {
    /** 16 bytes: 0x10, 0x11, ... 0x1f. */
    private static final byte[] PACKET = new byte[16];

    static {
        for (int i = 0; i < PACKET.length; i++) {
            PACKET[i] = (byte) (0x10 + i);
        }
    }

    @Test
    void absoluteLoadsAreBigEndian() {
        KernelComparisons.assumeKernel();
        // Legacy packet loads convert from network byte order: u16 at 12 is 0x1c1d, u32 at 0 is 0x10111213.
        assertEquals(0x1c1d, KernelRunner.runLegacyPacketBody(body("r0 = *(u16 *)skb[0xc]\nexit"), PACKET).r0());
        KernelResult r = KernelRunner.runLegacyPacketBody(body("r0 = *(u32 *)skb[0x0]\nexit"), PACKET);
        assertEquals(0x10111213L, r.r0());
        assertEquals(32, r.r0Bits());
        assertArrayEquals(PACKET, r.memOut(), "the body does not write the packet");
    }

    @Test
    void indirectLoadAddsTheRegister() {
        KernelComparisons.assumeKernel();
        // LD_IND reads at src + imm: 3 + 2 = 5, so the byte 0x15.
        assertEquals(0x15, KernelRunner.runLegacyPacketBody(body("r7 = 0x3\nr0 = *(u8 *)skb[r7 + 0x2]\nexit"), PACKET).r0());
    }

    @Test
    void loadPastThePacketEndsTheProgramWithZero() {
        KernelComparisons.assumeKernel();
        // An out-of-packet legacy load ends the program with r0 = 0, so r0 = 5 is never returned.
        assertEquals(0, KernelRunner.runLegacyPacketBody(body("r0 = *(u8 *)skb[0x40]\nr0 = 0x5\nexit"), PACKET).r0());
    }

    @Test
    void onlyTheLow32BitsOfR0Return() {
        KernelComparisons.assumeKernel();
        KernelResult r = KernelRunner.runLegacyPacketBody(body("r0 = 0x123456789 ll\nexit"), PACKET);
        assertEquals(0x23456789L, r.r0());
        assertTrue(r.r0Matches(0x1_2345_6789L), "the unknown upper half is not compared");
    }

    @Test
    void harnessIsChosenByTheBody() {
        assertSame(SkbInlineHarness.INSTANCE, Harness.forBody(body("r0 = *(u8 *)skb[0x0]\nexit")));
        assertSame(XdpSubprogramHarness.INSTANCE, Harness.forBody(body("r0 = 0x0\nexit")));
    }

    @Test
    void packetShorterThanAnEthernetHeaderIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> SkbInlineHarness.INSTANCE.program(body("r0 = 0x0\nexit"), 13));
    }

    private static Bytecode body(String asm) {
        return Assembler.assemble(asm);
    }
}
