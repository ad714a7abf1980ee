package dev.jxdp.hooks;

import static org.junit.jupiter.api.Assertions.assertEquals;


import dev.jxdp.isa.Assembler;
import dev.jxdp.kernel.AttachType;
import dev.jxdp.kernel.Bpf;
import dev.jxdp.kernel.BpfException;
import dev.jxdp.kernel.BpfProgram;
import dev.jxdp.kernel.KernelComparisons;
import dev.jxdp.kernel.ProgLoadRequest;
import dev.jxdp.kernel.ProgType;
import dev.jxdp.kernel.TestRun;
import dev.jxdp.kernel.TestRunResult;
import dev.jxdp.obj.ProgramType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * BPF_PROG_TEST_RUN's edges in jxdp and in the kernel, side by side: the same small programs on
 * inputs at and past each limit (runts, jumbos split into fragments, every ctx_in field test_run
 * checks, metadata from ctx_in, repeat keeping state, narrow __sk_buff loads), and the same errno or
 * the same retval, data_out and ctx_out from both.
 */
class TestRunEdgesKernelTest {

    static final String XDP_PASS = "r0 = 0x2\nexit";
    /** adjust_meta(-8) and write 0xab into the first metadata byte; returns the helper's result + 2. */
    static final String XDP_META8 = """
            r6 = r1
            r2 = -0x8
            call 0x36
            r7 = r0
            r2 = *(u32 *)(r6 + 0x8)
            r3 = *(u32 *)(r6 + 0x0)
            r4 = r2
            r4 += 0x8
            if r4 > r3 goto skip
            r5 = 0xab
            *(u8 *)(r2 + 0x0) = r5
            skip:
            r0 = r7
            r0 += 0x2
            exit""";
    /** (bpf_xdp_get_buff_len << 16) | linear length. */
    static final String XDP_LENGTHS = """
            r6 = r1
            call 0xbc
            r7 = r0
            r2 = *(u32 *)(r6 + 0x4)
            r3 = *(u32 *)(r6 + 0x0)
            r2 -= r3
            r7 <<= 0x10
            r7 |= r2
            r0 = r7
            exit""";
    /** ingress_ifindex * 1000 + rx_queue_index. */
    static final String XDP_RXQ = """
            r2 = *(u32 *)(r1 + 0xc)
            r3 = *(u32 *)(r1 + 0x10)
            r2 *= 0x3e8
            r2 += r3
            r0 = r2
            exit""";
    static final String TC_OK = "r0 = 0x0\nexit";
    /** pkt_type << 16 | protocol (the raw u16). */
    static final String TC_TYPE_PROTO = """
            r2 = *(u32 *)(r1 + 0x4)
            r3 = *(u32 *)(r1 + 0x10)
            r2 <<= 0x10
            r2 |= r3
            r0 = r2
            exit""";
    /** Narrow loads: the upper half of protocol, byte 1 of pkt_type, byte 1 of len, byte 3 of mark, half 1 of wire_len. */
    static final String TC_NARROW = """
            r2 = *(u16 *)(r1 + 0x12)
            r3 = *(u8 *)(r1 + 0x5)
            r4 = *(u8 *)(r1 + 0x1)
            r5 = *(u8 *)(r1 + 0xb)
            r6 = *(u16 *)(r1 + 0xa2)
            r2 <<= 0x20
            r3 <<= 0x18
            r4 <<= 0x10
            r5 <<= 0x8
            r2 |= r3
            r2 |= r4
            r2 |= r5
            r2 |= r6
            r0 = r2
            exit""";
    /** Writes mark, priority, cb[0] (8 bytes over cb[0..1]), cb[4] (1 byte), tc_index, tc_classid, queue_mapping, tstamp; returns tc_index << 16 | tc_classid. */
    static final String TC_WRITES = """
            r2 = 0x11
            *(u32 *)(r1 + 0x8) = r2
            r2 = 0x22
            *(u32 *)(r1 + 0x20) = r2
            r2 = 0x3333333344444444 ll
            *(u64 *)(r1 + 0x30) = r2
            r2 = 0x55
            *(u8 *)(r1 + 0x40) = r2
            r2 = 0x12345
            *(u32 *)(r1 + 0x2c) = r2
            r2 = 0x6789a
            *(u32 *)(r1 + 0x48) = r2
            r2 = 0x7
            *(u32 *)(r1 + 0xc) = r2
            r2 = 0xffff
            *(u32 *)(r1 + 0xc) = r2
            r2 = 0x99
            *(u64 *)(r1 + 0x98) = r2
            r3 = *(u32 *)(r1 + 0x2c)
            r4 = *(u32 *)(r1 + 0x48)
            r5 = *(u32 *)(r1 + 0xc)
            r3 <<= 0x20
            r4 <<= 0x10
            r3 |= r4
            r3 |= r5
            r0 = r3
            exit""";

    record Case(String name, ProgramType type, String asm, byte[] data, byte[] ctx, int repeat) {}

    private static byte[] xdpMd(int data, int dataEnd, int meta, int ifindex, int queue, int egress, int length) {
        ByteBuffer b = ByteBuffer.allocate(Math.max(24, length)).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(data).putInt(dataEnd).putInt(meta).putInt(ifindex).putInt(queue).putInt(egress);
        return Arrays.copyOf(b.array(), length);
    }

    private static byte[] skBuff(int... offsetValue) {
        ByteBuffer b = ByteBuffer.allocate(192).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < offsetValue.length; i += 2) {
            b.putInt(offsetValue[i], offsetValue[i + 1]);
        }
        return b.array();
    }

    static List<Case> cases() {
        byte[] udp = TestFrames.v4(TestFrames.UDP, 24);
        byte[] bcast = TestFrames.ethernet(new byte[] {-1, -1, -1, -1, -1, -1}, 0x0800, TestFrames.ipv4(17, TestFrames.l4(17, 8, false)));
        byte[] toLo = TestFrames.ethernet(new byte[6], 0x0806, new byte[28]);
        byte[] llc = TestFrames.ethernet(TestFrames.DST, 0x0040, new byte[40]);
        byte[] v6 = TestFrames.v6(TestFrames.TCP, 10);
        int n = udp.length;
        List<Case> c = new ArrayList<>();
        ProgramType xdp = ProgramType.XDP;
        ProgramType tc = ProgramType.SCHED_CLS;
        c.add(new Case("xdp pass", xdp, XDP_PASS, udp, null, 1));
        c.add(new Case("xdp runt 13", xdp, XDP_PASS, Arrays.copyOf(udp, 13), null, 1));
        c.add(new Case("xdp 14", xdp, XDP_PASS, Arrays.copyOf(udp, 14), null, 1));
        c.add(new Case("xdp empty", xdp, XDP_PASS, new byte[0], null, 1));
        c.add(new Case("xdp 3520", xdp, XDP_LENGTHS, TestFrames.sized(3520), null, 1));
        c.add(new Case("xdp 3521", xdp, XDP_LENGTHS, TestFrames.sized(3521), null, 1));
        c.add(new Case("xdp jumbo 9000", xdp, XDP_LENGTHS, TestFrames.sized(9000), null, 1));
        c.add(new Case("xdp 17 fragments", xdp, XDP_LENGTHS, TestFrames.sized(3520 + 17 * 4096), null, 1));
        c.add(new Case("xdp 18 fragments", xdp, XDP_LENGTHS, TestFrames.sized(3520 + 17 * 4096 + 1), null, 1));
        c.add(new Case("xdp meta", xdp, XDP_META8, udp, null, 1));
        c.add(new Case("xdp meta repeat 3", xdp, XDP_META8, udp, null, 3));
        c.add(new Case("xdp ctx lo", xdp, XDP_RXQ, udp, xdpMd(0, n, 0, 1, 0, 0, 24), 1));
        c.add(new Case("xdp ctx no ifindex", xdp, XDP_RXQ, udp, xdpMd(0, n, 0, 0, 0, 0, 24), 1));
        c.add(new Case("xdp ctx ifindex 1234", xdp, XDP_RXQ, udp, xdpMd(0, n, 0, 1234, 0, 0, 24), 1));
        c.add(new Case("xdp ctx queue 1 on lo", xdp, XDP_RXQ, udp, xdpMd(0, n, 0, 1, 1, 0, 24), 1));
        c.add(new Case("xdp ctx queue without ifindex", xdp, XDP_RXQ, udp, xdpMd(0, n, 0, 0, 1, 0, 24), 1));
        c.add(new Case("xdp ctx egress", xdp, XDP_RXQ, udp, xdpMd(0, n, 0, 1, 0, 1, 24), 1));
        c.add(new Case("xdp ctx data_meta", xdp, XDP_PASS, udp, xdpMd(0, n, 4, 0, 0, 0, 24), 1));
        c.add(new Case("xdp ctx metadata 8", xdp, XDP_META8, udp, xdpMd(8, n, 0, 0, 0, 0, 24), 1));
        c.add(new Case("xdp ctx metadata 6", xdp, XDP_PASS, udp, xdpMd(6, n, 0, 0, 0, 0, 24), 1));
        c.add(new Case("xdp ctx metadata 216", xdp, XDP_PASS, TestFrames.sized(300), xdpMd(216, 300, 0, 0, 0, 0, 24), 1));
        c.add(new Case("xdp ctx metadata 220", xdp, XDP_PASS, TestFrames.sized(300), xdpMd(220, 300, 0, 0, 0, 0, 24), 1));
        c.add(new Case("xdp ctx metadata 256", xdp, XDP_PASS, TestFrames.sized(300), xdpMd(256, 300, 0, 0, 0, 0, 24), 1));
        c.add(new Case("xdp ctx metadata leaves 12", xdp, XDP_PASS, udp, xdpMd(n - 12, n, 0, 0, 0, 0, 24), 1));
        c.add(new Case("xdp ctx data_end past data_in", xdp, XDP_PASS, udp, xdpMd(0, n + 1, 0, 0, 0, 0, 24), 1));
        c.add(new Case("xdp ctx data_end 32", xdp, XDP_LENGTHS, udp, xdpMd(0, 32, 0, 0, 0, 0, 24), 1));
        c.add(new Case("xdp ctx data_end 0", xdp, XDP_LENGTHS, udp, xdpMd(0, 0, 0, 0, 0, 0, 24), 1));
        c.add(new Case("xdp ctx short", xdp, XDP_RXQ, udp, xdpMd(0, n, 0, 1, 0, 0, 16), 1));
        c.add(new Case("xdp ctx long zero", xdp, XDP_RXQ, udp, xdpMd(0, n, 0, 1, 0, 0, 28), 1));
        byte[] longCtx = xdpMd(0, n, 0, 1, 0, 0, 28);
        longCtx[26] = 1;
        c.add(new Case("xdp ctx long non-zero", xdp, XDP_RXQ, udp, longCtx, 1));
        c.add(new Case("xdp unknown action", xdp, "r0 = 0x7\nexit", udp, null, 1));
        c.add(new Case("xdp wide r0", xdp, "r0 = 0x100000002 ll\nexit", udp, null, 1));

        c.add(new Case("tc ok", tc, TC_OK, udp, null, 1));
        c.add(new Case("tc 13", tc, TC_OK, Arrays.copyOf(udp, 13), null, 1));
        c.add(new Case("tc ipv4 33", tc, TC_OK, Arrays.copyOf(udp, 33), null, 1));
        c.add(new Case("tc ipv4 34", tc, TC_OK, Arrays.copyOf(udp, 34), null, 1));
        c.add(new Case("tc ipv6 53", tc, TC_OK, Arrays.copyOf(v6, 53), null, 1));
        c.add(new Case("tc ipv6 54", tc, TC_OK, Arrays.copyOf(v6, 54), null, 1));
        c.add(new Case("tc arp 14", tc, TC_TYPE_PROTO, Arrays.copyOf(toLo, 14), null, 1));
        c.add(new Case("tc 3712", tc, TC_OK, TestFrames.sized(3712), null, 1));
        c.add(new Case("tc 3713", tc, TC_OK, TestFrames.sized(3713), null, 1));
        c.add(new Case("tc pkt_type otherhost", tc, TC_TYPE_PROTO, udp, null, 1));
        c.add(new Case("tc pkt_type broadcast on lo", tc, TC_TYPE_PROTO, bcast, null, 1));
        c.add(new Case("tc pkt_type host on lo", tc, TC_TYPE_PROTO, toLo, null, 1));
        c.add(new Case("tc 802.2", tc, TC_TYPE_PROTO, llc, null, 1));
        c.add(new Case("tc narrow loads", tc, TC_NARROW, udp, skBuff(8, 0x7f6e5d4c, 160, 0x10000), 1));
        c.add(new Case("tc writes", tc, TC_WRITES, udp, skBuff(), 1));
        c.add(new Case("tc writes without ctx", tc, TC_WRITES, udp, null, 1));
        c.add(new Case("tc ctx fields", tc, TC_OK, udp, skBuff(8, 7, 32, 9, 36, 1, 40, 1, 48, 0x33, 64, 0x44, 152, 0x1234, 160, 100,
                164, 2, 176, 1400, 184, 99), 1));
        c.add(new Case("tc ctx ifindex 1234", tc, TC_OK, udp, skBuff(40, 1234), 1));
        c.add(new Case("tc ctx len", tc, TC_OK, udp, skBuff(0, 1), 1));
        c.add(new Case("tc ctx tc_index", tc, TC_OK, udp, skBuff(44, 1), 1));
        c.add(new Case("tc ctx hash", tc, TC_OK, udp, skBuff(68, 1), 1));
        c.add(new Case("tc ctx wire_len short", tc, TC_OK, udp, skBuff(160, n - 1), 1));
        c.add(new Case("tc ctx wire_len 65536", tc, TC_OK, udp, skBuff(160, 65536), 1));
        c.add(new Case("tc ctx wire_len 65537", tc, TC_OK, udp, skBuff(160, 65537), 1));
        c.add(new Case("tc ctx gso_segs 65536", tc, TC_OK, udp, skBuff(164, 65536), 1));
        c.add(new Case("tc ctx tstamp_type", tc, TC_OK, udp, skBuff(180, 1), 1));
        c.add(new Case("tc ctx sk", tc, TC_OK, udp, skBuff(168, 1), 1));
        c.add(new Case("tc ctx data_meta", tc, TC_OK, udp, skBuff(140, 1), 1));
        return c;
    }

    @Test
    void jxdpAnswersAsTheKernel() {
        KernelComparisons.assumeKernel();
        List<String> differences = new ArrayList<>();
        for (Case c : cases()) {
            String k = kernel(c);
            String j = jxdp(c);
            if (!k.equals(j)) {
                differences.add(c.name() + ":\n  kernel " + k + "\n  jxdp   " + j);
            }
        }
        assertEquals("", String.join("\n", differences));
    }

    static String jxdp(Case c) {
        try (AsmObject o = c.type() == ProgramType.XDP ? AsmObject.xdp(c.asm()) : AsmObject.tc(c.asm())) {
            ProgTestRun.Input in = new ProgTestRun.Input(c.data(), c.ctx(), c.ctx() != null, c.data().length + 4096,
                    c.ctx() == null ? 0 : c.ctx().length, c.repeat(), false);
            ProgTestRun.Result r = ProgTestRun.run(o.program, in, Network.loopback());
            return describe(r.retval(), r.dataOut(), r.ctxOut());
        } catch (TestRunException e) {
            return "errno " + dev.jxdp.kernel.Errno.of(e.errno()).name();
        }
    }

    static String kernel(Case c) {
        ProgLoadRequest req = ProgLoadRequest.of(c.type() == ProgramType.XDP ? ProgType.XDP : ProgType.SCHED_CLS, Assembler.assemble(c.asm()))
                .withLicense("GPL");
        if (c.type() == ProgramType.XDP) {
            req = req.withExpectedAttachType(AttachType.XDP);
        }
        try (BpfProgram p = Bpf.loadProgram(req)) {
            TestRun run = new TestRun(c.data(), c.data().length + 4096, c.ctx(), c.ctx() == null ? 0 : c.ctx().length, c.repeat(), 0, 0, 0);
            TestRunResult r = p.testRun(run);
            return describe(r.retval(), r.dataOut(), c.ctx() == null ? null : r.ctxOut());
        } catch (BpfException e) {
            return "errno " + e.errno().name();
        }
    }

    private static String describe(long retval, byte[] data, byte[] ctx) {
        return "retval 0x" + Long.toHexString(retval) + " data " + data.length + " " + HexFormat.of().formatHex(data)
                + (ctx == null ? "" : " ctx " + HexFormat.of().formatHex(ctx));
    }

}
