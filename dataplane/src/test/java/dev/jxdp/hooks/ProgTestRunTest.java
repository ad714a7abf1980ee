package dev.jxdp.hooks;

import dev.jxdp.load.ProgramRefusedException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jxdp.exec.ExecutionException;
import dev.jxdp.maps.Epochs;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * BPF_PROG_TEST_RUN as jxdp runs it, without the kernel: the answers Linux 6.18 gave for the same
 * inputs (TestRunEdgesKernelTest compares them with the kernel where BPF is usable).
 */
class ProgTestRunTest {
    private static final byte[] UDP = TestFrames.v4(TestFrames.UDP, 24);

    private static int errno(AsmObject o, ProgTestRun.Input in) {
        return assertThrows(TestRunException.class, () -> ProgTestRun.run(o.program, in, Network.loopback())).errno();
    }

    @Test
    void frameShorterThanAnEthernetHeaderIsInvalid() {
        try (AsmObject xdp = AsmObject.xdp(TestRunEdgesKernelTest.XDP_PASS); AsmObject tc = AsmObject.tc(TestRunEdgesKernelTest.TC_OK)) {
            assertEquals(22, errno(xdp, ProgTestRun.Input.of(Arrays.copyOf(UDP, 13))));
            assertEquals(2, xdp.run(Arrays.copyOf(UDP, 14)).retval());
            assertEquals(22, errno(tc, ProgTestRun.Input.of(Arrays.copyOf(UDP, 13))));
            // an skb test run also wants the whole IPv4 header of an IPv4 frame
            assertEquals(22, errno(tc, ProgTestRun.Input.of(Arrays.copyOf(UDP, 33))));
            assertEquals(0, tc.run(Arrays.copyOf(UDP, 34)).retval());
        }
    }

    @Test
    void dataOutBeginsWithTheMetadata() {
        try (AsmObject o = AsmObject.xdp(TestRunEdgesKernelTest.XDP_META8)) {
            ProgTestRun.Result r = o.run(UDP);
            assertEquals(2, r.retval());
            assertEquals(UDP.length + 8, r.dataOut().length);
            assertEquals((byte) 0xab, r.dataOut()[0]);
            assertArrayEquals(UDP, Arrays.copyOfRange(r.dataOut(), 8, r.dataOut().length));
            // each repetition runs on what the last one left: three times 8 bytes
            ProgTestRun.Result three = ProgTestRun.run(o.program, ProgTestRun.Input.of(UDP).withRepeat(3), Network.loopback());
            assertEquals(UDP.length + 24, three.dataOut().length);
        }
    }

    @Test
    void jumboFramesGoIntoFragmentsForAnyProgram() {
        try (AsmObject o = AsmObject.xdp(TestRunEdgesKernelTest.XDP_LENGTHS)) {
            ProgTestRun.Result r = o.run(TestFrames.sized(9000));
            assertEquals(9000L << 16 | 3520, r.retval());
            assertEquals(9000, r.dataOut().length);
            assertEquals(12, errno(o, ProgTestRun.Input.of(TestFrames.sized(3520 + 17 * 4096 + 1))), "an 18th fragment: ENOMEM");
        }
    }

    @Test
    void xdpContextInAndOut() {
        try (AsmObject o = AsmObject.xdp(TestRunEdgesKernelTest.XDP_RXQ)) {
            ByteBuffer ctx = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN).putInt(0).putInt(UDP.length).putInt(0).putInt(1);
            ProgTestRun.Result r = ProgTestRun.run(o.program, ProgTestRun.Input.of(UDP).withCtx(ctx.array()), Network.loopback());
            assertEquals(1000, r.retval(), "ingress_ifindex 1 (lo), queue 0");
            assertArrayEquals(ctx.array(), r.ctxOut());
            ctx.putInt(12, 99);
            assertEquals(19, errno(o, ProgTestRun.Input.of(UDP).withCtx(ctx.array())), "no device 99: ENODEV");
            ctx.putInt(12, 1).putInt(20, 1);
            assertEquals(22, errno(o, ProgTestRun.Input.of(UDP).withCtx(ctx.array())), "egress_ifindex: EINVAL");
            byte[] longer = Arrays.copyOf(ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN).putInt(0).putInt(UDP.length).array(), 28);
            longer[27] = 1;
            assertEquals(7, errno(o, ProgTestRun.Input.of(UDP).withCtx(longer)), "bytes past the struct: E2BIG");
        }
    }

    @Test
    void skbContextNarrowLoadsAreTheVerifiersRewrite() {
        try (AsmObject o = AsmObject.tc(TestRunEdgesKernelTest.TC_NARROW)) {
            ByteBuffer ctx = ByteBuffer.allocate(192).order(ByteOrder.LITTLE_ENDIAN).putInt(8, 0x7f6e5d4c).putInt(160, 0x10000);
            long r0 = ProgTestRun.run(o.program, ProgTestRun.Input.of(UDP).withCtx(ctx.array()), Network.loopback()).retval();
            // retval is r0's low 32 bits: the u16 at protocol+2 (protocol again: 0x0008) lands above them
            assertEquals(3L << 24 | 0L << 16 | 0x7fL << 8 | 0x1L, r0, "pkt_type 3 (otherhost) from byte 5, len 66's byte 1, mark's byte 3, wire_len's upper half");
        }
    }

    @Test
    void aFaultIsAnExecutionError() {
        // The verifier refuses this at load (see refusedAtLoad); loaded unverified, the checked engine catches it.
        try (AsmObject o = AsmObject.xdpUnverified("r0 = *(u32 *)(r1 + 0x14)\nexit")) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> o.run(UDP));
            assertTrue(e.getMessage().contains("invalid bpf_context access off=20 size=4"), e.getMessage());
            // the repeat loop's epoch read section ends with the run, a faulting one too
            assertFalse(Epochs.GLOBAL.inSection());
            assertThrows(ExecutionException.class,
                    () -> ProgTestRun.run(o.program, ProgTestRun.Input.of(UDP).withRepeat(5000), Network.loopback()));
            assertFalse(Epochs.GLOBAL.inSection());
        }
    }

    @Test
    void aRepeatLoopEndsOutsideAnyReadSection() {
        try (AsmObject o = AsmObject.xdp(TestRunEdgesKernelTest.XDP_PASS)) {
            ProgTestRun.Result r = ProgTestRun.run(o.program, ProgTestRun.Input.of(UDP).withRepeat(3000), Network.loopback());
            assertEquals(2, r.retval());
            assertFalse(Epochs.GLOBAL.inSection());
        }
    }

    @Test
    void aProgramTheVerifierRefusesDoesNotLoad() {
        // The kernel's words for xdp_md.egress_ifindex outside a BPF_XDP_DEVMAP program (xdp_is_valid_access).
        ProgramRefusedException e = assertThrows(ProgramRefusedException.class,
                () -> AsmObject.xdp("r0 = *(u32 *)(r1 + 0x14)\nexit"));
        assertEquals("asm.o: program prog: insn 0: invalid bpf_context access off=20 size=4 (refused by the verifier;"
                + " jxdp verify asm.o --name prog shows its log)", e.getMessage());
    }
}
