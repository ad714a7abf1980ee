package dev.jxdp.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jxdp.isa.Assembler;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** BPF_PROG_TEST_RUN on XDP programs: repeat and duration, data and ctx in and out, live frames. */
class TestRunTest {

    @BeforeEach
    void kernel() {
        KernelComparisons.assumeKernel();
    }

    private static BpfProgram xdp(String asm) {
        return Bpf.loadProgram(ProgLoadRequest.of(ProgType.XDP, Assembler.assemble(asm)).withName("jxdp_test_run"));
    }

    @Test
    void repeatReportsADuration() {
        // 1000 trips round a three-instruction loop take far more than a nanosecond per run.
        try (BpfProgram p = xdp("""
                r1 = 0x3e8
                loop:
                r1 += -1
                if r1 != 0x0 goto loop
                r0 = 0x2
                exit""")) {
            TestRunResult r = p.testRun(TestRun.of(new byte[64]).withRepeat(1000));
            assertEquals(2, r.retval());
            assertTrue(r.durationNs() > 0, "duration " + r.durationNs());
        }
    }

    @Test
    void dataComesBackAsTheProgramLeftIt() {
        // Writes 0x5a to the first byte after proving one byte is there, returns XDP_TX (3).
        try (BpfProgram p = xdp("""
                r2 = *(u32 *)(r1 + 0x0)
                r3 = *(u32 *)(r1 + 0x4)
                r0 = 0x0
                r4 = r2
                r4 += 0x1
                if r4 > r3 goto out
                r5 = 0x5a
                *(u8 *)(r2 + 0x0) = r5
                r0 = 0x3
                out:
                exit""")) {
            byte[] packet = new byte[20];
            packet[19] = 7;
            TestRunResult r = p.testRun(TestRun.of(packet));
            assertEquals(3, r.retval());
            byte[] expected = packet.clone();
            expected[0] = 0x5a;
            assertArrayEquals(expected, r.dataOut());
            assertEquals(0, r.ctxOut().length, "no ctx_out buffer, no ctx");
        }
    }

    @Test
    void ctxInAndOut() {
        // struct xdp_md is six u32s: data, data_end, data_meta, ingress_ifindex, rx_queue_index,
        // egress_ifindex. net/bpf/test_run.c takes ctx data = 4 as "the first 4 bytes of data_in are
        // metadata" and requires data_end == data_size_in; the program sees data_end - data = 20 - 4.
        try (BpfProgram p = xdp("""
                r2 = *(u32 *)(r1 + 0x4)
                r3 = *(u32 *)(r1 + 0x0)
                r0 = r2
                r0 -= r3
                exit""")) {
            TestRunResult r = p.testRun(TestRun.of(new byte[20]).withCtx(xdpMd(4, 20)));
            assertEquals(16, r.retval());
            ByteBuffer ctx = ByteBuffer.wrap(r.ctxOut()).order(ByteOrder.LITTLE_ENDIAN);
            assertEquals(24, r.ctxOut().length);
            assertEquals(4, ctx.getInt(0), "ctx_out data: still 4 bytes of metadata");
            assertEquals(20, ctx.getInt(4), "ctx_out data_end, counted from the metadata");
        }
    }

    @Test
    void liveFramesRun() {
        // XDP_DROP (1) so that nothing reaches the network stack.
        try (BpfProgram p = xdp("r0 = 0x1\nexit")) {
            TestRunResult r = p.testRun(TestRun.of(new byte[64]).withRepeat(16).withLiveFrames(0));
            assertEquals(0, r.dataOut().length, "live frames return no data");
        }
    }

    @Test
    void tooSmallOutputBufferSaysSo() {
        try (BpfProgram p = xdp("r0 = 0x2\nexit")) {
            BpfException e = assertThrows(BpfException.class,
                    () -> p.testRun(TestRun.of(new byte[14]).withDataOutCapacity(4)));
            assertEquals("ENOSPC", e.errno().name());
            assertTrue(e.getMessage().startsWith("bpf(BPF_PROG_TEST_RUN) failed with ENOSPC"), e.getMessage());
            assertTrue(e.getMessage().contains("data_out 4 bytes, the program's 14"), e.getMessage());
        }
    }

    @Test
    void packetBelowEthernetHeaderIsRefused() {
        // bpf_test_init() refuses data_size_in < ETH_HLEN (14) with EINVAL.
        try (BpfProgram p = xdp("r0 = 0x2\nexit")) {
            BpfException e = assertThrows(BpfException.class, () -> p.testRun(TestRun.of(new byte[13])));
            assertEquals("EINVAL", e.errno().name());
        }
    }

    private static byte[] xdpMd(int data, int dataEnd) {
        return ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN).putInt(0, data).putInt(4, dataEnd).array();
    }
}
