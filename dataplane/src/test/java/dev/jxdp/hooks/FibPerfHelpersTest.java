package dev.jxdp.hooks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jxdp.maps.EbpfMap;
import dev.jxdp.maps.PerfEventArray;
import dev.jxdp.obj.MapType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * bpf_fib_lookup against the pipeline's routes and neighbours, and bpf_perf_event_output with packet
 * bytes: worked examples of bpf_ipv4_fib_lookup's steps (net/core/filter.c) and
 * bpf_xdp_event_output's sample layout, since the kernel's answers depend on the host's routes and
 * its perf buffers on file descriptors.
 */
class FibPerfHelpersTest {
    private static final byte[] UDP = TestFrames.v4(TestFrames.UDP, 22);

    /**
     * Fills struct bpf_fib_lookup (AF_INET, tot_len, ifindex, ipv4_dst) on the stack, calls
     * bpf_fib_lookup(ctx, params, plen, flags), saves the params in map[0] and returns the result.
     */
    private static String lookup(int totLen, int ifindex, int dstLe, int plen, long flags, int family) {
        StringBuilder s = new StringBuilder("r6 = r1\nr1 = 0x0\n");
        for (int off = 0x40; off > 0; off -= 8) {
            s.append("*(u64 *)(r10 - 0x").append(Integer.toHexString(off)).append(") = r1\n");
        }
        s.append("r1 = 0x").append(Integer.toHexString(family)).append("\n*(u8 *)(r10 - 0x40) = r1\n");
        s.append("r1 = 0x").append(Integer.toHexString(totLen)).append("\n*(u16 *)(r10 - 0x3a) = r1\n");
        s.append("r1 = 0x").append(Integer.toHexString(ifindex)).append("\n*(u32 *)(r10 - 0x38) = r1\n");
        s.append("r1 = 0x").append(Integer.toHexString(dstLe)).append(" ll\n*(u32 *)(r10 - 0x20) = r1\n");
        s.append("r1 = r6\nr2 = r10\nr2 += -0x40\nr3 = 0x").append(Integer.toHexString(plen)).append("\nr4 = 0x")
                .append(Long.toHexString(flags)).append("\ncall 0x45\nr7 = r0\n");
        s.append("r1 = 0x0\n*(u32 *)(r10 - 0x44) = r1\nld_pseudo r1, 0x1, 0x0\nr2 = r10\nr2 += -0x44\nr3 = r10\nr3 += -0x40\n"
                + "r4 = 0x0\ncall 0x2\nr0 = r7\nexit");
        return s.toString();
    }

    /** 10.1.0.5 as the u32 a little-endian load of its bytes gives. */
    private static final int DST = 0x0500010a;

    private record Result(long ret, ByteBuffer params) {
        int ifindex() {
            return params.getInt(8);
        }

        int mtu() {
            return params.getShort(6) & 0xffff;
        }

        byte[] bytes(int at, int n) {
            return Arrays.copyOfRange(params.array(), at, at + n);
        }
    }

    private Result run(PipelineFixture f, String asm) {
        try (AsmObject o = AsmObject.load(f.pipeline.objectOptions(), List.of(AsmObject.map("out", MapType.ARRAY, 4, 64, 1)),
                AsmObject.Prog.xdp("fib", asm))) {
            ProgTestRun.Result r = ProgTestRun.run(o.program, ProgTestRun.Input.of(UDP), f.pipeline.worker(0));
            EbpfMap out = o.object.map("out");
            ByteBuffer params = ByteBuffer.wrap(out.lookup(new byte[4]).orElseThrow()).order(ByteOrder.LITTLE_ENDIAN);
            return new Result((int) r.retval(), params);
        }
    }

    @Test
    void fibLookupFollowsRoutesToANeighbour() {
        PipelineFixture f = new PipelineFixture(1);
        f.pipeline.routes().route("10.1.0.0/16", "10.0.0.254", 3).route("10.9.0.0/16", RouteTable.Kind.BLACKHOLE, null, 3, 0, 0)
                .route("10.8.0.0/16", RouteTable.Kind.UNREACHABLE, null, 3, 0, 0).neighbour(3, "10.0.0.254", "02:aa:00:00:00:01");
        Result ok = run(f, lookup(1500, 2, DST, 64, 0, 2));
        assertEquals(0, ok.ret(), "BPF_FIB_LKUP_RET_SUCCESS");
        assertEquals(3, ok.ifindex(), "out through eth1");
        assertArrayEquals(new byte[] {10, 0, 0, (byte) 254}, ok.bytes(32, 4), "the gateway becomes the destination");
        assertArrayEquals(new byte[] {2, (byte) 0xaa, 0, 0, 0, 1}, ok.bytes(58, 6), "dmac: the neighbour");
        assertArrayEquals(new byte[] {2, 0, 0, 0, 0, 3}, ok.bytes(52, 6), "smac: eth1");
        assertEquals(1500, ok.mtu(), "mtu_result");

        assertEquals(8, run(f, lookup(1501, 2, DST, 64, 0, 2)).ret(), "FRAG_NEEDED above the route's MTU");
        assertEquals(1500, run(f, lookup(1501, 2, DST, 64, 0, 2)).mtu());
        assertEquals(1, run(f, lookup(100, 2, 0x0500090a, 64, 0, 2)).ret(), "blackhole");
        assertEquals(2, run(f, lookup(100, 2, 0x0500080a, 64, 0, 2)).ret(), "unreachable");
        assertEquals(4, run(f, lookup(100, 2, 0x05000707, 64, 0, 2)).ret(), "no route: NOT_FWDED");
        assertEquals(-19, run(f, lookup(100, 99, DST, 64, 0, 2)).ret(), "no device 99: -ENODEV");
        assertEquals(-22, run(f, lookup(100, 2, DST, 32, 0, 2)).ret(), "params shorter than the struct");
        assertEquals(-22, run(f, lookup(100, 2, DST, 64, 1L << 9, 2)).ret(), "unknown flag");
        assertEquals(-97, run(f, lookup(100, 2, DST, 64, 0, 7)).ret(), "-EAFNOSUPPORT");
        f.pipeline.routes().route("10.2.0.0/16", null, 4);
        assertEquals(7, run(f, lookup(100, 2, 0x0500020a, 64, 0, 2)).ret(), "directly connected, no neighbour: NO_NEIGH");
        assertEquals(0, run(f, lookup(100, 2, 0x0500020a, 64, FibLookupHelper.F_SKIP_NEIGH, 2)).ret(), "BPF_FIB_LOOKUP_SKIP_NEIGH");
    }

    @Test
    void perfEventOutputAppendsPacketBytes() {
        PipelineFixture f = new PipelineFixture(1);
        String asm = """
                r2 = 0x1122334455667788 ll
                *(u64 *)(r10 - 0x8) = r2
                ld_pseudo r2, 0x1, 0x0
                r3 = 0x%x ll
                r4 = r10
                r4 += -0x8
                r5 = 0x8
                call 0x19
                exit""";
        long currentCpu = 0xffff_ffffL;
        try (AsmObject o = AsmObject.load(f.pipeline.objectOptions(), List.of(AsmObject.map("events", MapType.PERF_EVENT_ARRAY, 4, 4, 1)),
                AsmObject.Prog.xdp("ok", asm.formatted(16L << 32 | currentCpu)),
                AsmObject.Prog.xdp("long", asm.formatted((long) (UDP.length + 1) << 32 | currentCpu)))) {
            var buffer = ((PerfEventArray) o.object.map("events")).open(0, 0, 4096);
            assertEquals(0, ProgTestRun.run(o.program("ok"), ProgTestRun.Input.of(UDP), f.pipeline.worker(0)).retval());
            List<byte[]> samples = new ArrayList<>();
            buffer.consume(samples::add);
            byte[] s = samples.getFirst();
            assertArrayEquals(new byte[] {(byte) 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11}, Arrays.copyOf(s, 8));
            assertArrayEquals(Arrays.copyOf(UDP, 16), Arrays.copyOfRange(s, 8, 24), "then the frame's first 16 bytes");
            assertEquals(-14L & 0xffff_ffffL, ProgTestRun.run(o.program("long"), ProgTestRun.Input.of(UDP), f.pipeline.worker(0)).retval(),
                    "more packet bytes than the frame has: -EFAULT");
        }
    }
}
