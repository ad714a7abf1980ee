package dev.jxdp.hooks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jxdp.load.LoadedObject;
import dev.jxdp.obj.LoadOptions;
import dev.jxdp.obj.ObjectLoader;
import dev.jxdp.testing.Repo;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What tc egress sees of a large TCP segment, as the kernel shows it (the worked example measured at a
 * veth's tc egress with programs/bin/tc_gso_probe.o, TCP with timestamps, 66 bytes of headers: len
 * 3066 and gso_size 1448 give gso_segs 3 and wire_len 3198; GsoAtTcKernelTest in nic-sim measures it
 * live). A segment from the host carries TCP's segment count; one a tap handed over and tc redirected
 * keeps gso_segs 0 (SKB_GSO_DODGY), and wire_len counts the headers of the segments to come either way.
 */
class PipelineSegmentsTest {
    private static final int MSS = 1448;
    private static final byte[] SEGMENT = tcpWithTimestamps(3000);

    private final PipelineFixture f = new PipelineFixture(1);

    /** IPv4/TCP with the 12 bytes of NOP, NOP, timestamps that Linux sends, and {@code payload} bytes. */
    static byte[] tcpWithTimestamps(int payload) {
        ByteBuffer tcp = ByteBuffer.allocate(32 + payload);
        tcp.putShort((short) 40000).putShort((short) 5201).putInt(1).putInt(1).put((byte) 0x80).put((byte) 0x10).putShort((short) 502)
                .putShort((short) 0).putShort((short) 0).put(new byte[] {1, 1, 8, 10}).putInt(7).putInt(9);
        return TestFrames.ethernet(TestFrames.DST, 0x0800, TestFrames.ipv4(TestFrames.TCP, tcp.array()));
    }

    private LoadedObject probe() throws Exception {
        return LoadedObject.load(ObjectLoader.load(Repo.root().resolve("programs/bin/tc_gso_probe.o"), LoadOptions.defaults()),
                f.pipeline.objectOptions());
    }

    /** gso_size, gso_segs, len, wire_len of the last packet the probe saw. */
    private static List<Integer> last(LoadedObject probe) {
        ByteBuffer v = ByteBuffer.wrap(probe.map("gso_seen").lookup(new byte[4]).orElseThrow()).order(ByteOrder.LITTLE_ENDIAN);
        return List.of(v.getInt(8), v.getInt(12), v.getInt(16), v.getInt(20));
    }

    @Test
    void aLargeSegmentFromTheHostCarriesTcpsSegmentCountAndItsHeadersInWireLen() throws Exception {
        try (LoadedObject probe = probe()) {
            f.pipeline.attachTc(f.eth2, Hook.TC_EGRESS, probe.program("tc_gso_probe"));
            MemorySegment b = f.buffer(SEGMENT);
            assertEquals(Outcome.Fate.TRANSMITTED, f.pipeline.worker(0).transmit(f.eth2, b, XdpBuff.PACKET_HEADROOM, SEGMENT.length, MSS).fate());
            assertEquals(List.of(MSS, 3, 3066, 3198), last(probe));
            byte[] small = tcpWithTimestamps(100);
            f.pipeline.worker(0).transmit(f.eth2, f.buffer(small), XdpBuff.PACKET_HEADROOM, small.length);
            assertEquals(List.of(0, 0, 166, 166), last(probe), "an ordinary frame: wire_len is len");
        }
    }

    @Test
    void aTapsLargeSegmentRedirectedToEgressKeepsNoCountButWireLenCountsTheHeaders() throws Exception {
        try (LoadedObject probe = probe(); AsmObject redirect = AsmObject.load(f.pipeline.objectOptions(), List.of(),
                AsmObject.Prog.tc("to_eth1", "r1 = 0x3\nr2 = 0x0\ncall 0x17\nexit"))) {
            f.pipeline.attachTc(f.eth0, Hook.TC_INGRESS, redirect.program);
            f.pipeline.attachTc(f.eth1, Hook.TC_EGRESS, probe.program("tc_gso_probe"));
            Outcome o = f.pipeline.worker(0).receive(f.eth0, 0, f.buffer(SEGMENT), XdpBuff.PACKET_HEADROOM, SEGMENT.length, MSS);
            assertEquals(Outcome.Fate.TRANSMITTED, o.fate());
            assertEquals(List.of(MSS, 0, 3066, 3198), last(probe));
        }
    }

    /**
     * bpf_skb_adjust_room(skb, diff, BPF_ADJ_ROOM_NET, flags); on success the mark becomes gso_size << 16 |
     * gso_segs and the next tcx program runs (TCX_NEXT), on failure the packet is dropped.
     */
    private static String adjustRoom(int diff, long flags) {
        String d = diff < 0 ? "-0x" + Integer.toHexString(-diff) : "0x" + Integer.toHexString(diff);
        return "r6 = r1\nr2 = " + d + "\nr3 = 0x0\nr4 = 0x" + Long.toHexString(flags) + " ll\ncall 0x32\nif r0 == 0x0 goto ok\nr0 = 0x2\nexit\n"
                + "ok:\nr7 = *(u32 *)(r6 + 0xb0)\nr7 <<= 0x10\nr2 = *(u32 *)(r6 + 0xa4)\nr7 |= r2\n*(u32 *)(r6 + 0x8) = r7\nr0 = -0x1\nexit";
    }

    /**
     * What bpf_skb_adjust_room does to a large TCP segment's size, as measured on a kernel tap (a TCPv4
     * segment of 3500 payload bytes, gso_size 1000, written behind a virtio-net header; the helper at tc
     * ingress): 8 bytes more headers take 8 off gso_size (992), none with BPF_F_ADJ_ROOM_FIXED_GSO
     * (1000), 4 bytes fewer add 4 (1004), an IPv4 encapsulation of 20 takes 20 (980); gso_segs stays 0.
     * The leaving packet's sink is told the new size.
     */
    @Test
    void adjustRoomTakesWhatItAddsToTheHeadersOffTheSegmentSize() {
        byte[] segment = tcpWithoutOptions(3500);
        long[][] cases = {{8, 0, 992}, {8, 1, 1000}, {-4, 0, 1004}, {20, 2, 980}};
        for (long[] c : cases) {
            List<Integer> host = new ArrayList<>();
            List<Integer> sent = new ArrayList<>();
            Pipeline p = Pipeline.builder().workers(1).host((port, skb) -> host.addAll(List.of(skb.mark(), skb.gsoSize()))).build();
            Port in = p.addPort(PipelineFixture.device(2, "eth0", 0), PortSink.DISCARD);
            p.addPort(PipelineFixture.device(3, "eth1", 0), new PortSink() {
                @Override
                public void transmit(Port port, MemorySegment frame, TunnelKey tunnel) {
                    sent.add(-1);
                }

                @Override
                public void transmit(Port port, MemorySegment frame, TunnelKey tunnel, int gsoSize) {
                    sent.add(gsoSize);
                }
            });
            String label = "adjust_room " + c[0] + " flags " + c[1];
            try (AsmObject o = AsmObject.load(p.objectOptions(), List.of(), AsmObject.Prog.tc("adjust", adjustRoom((int) c[0], c[1])),
                    AsmObject.Prog.tc("to_eth1", "r1 = 0x3\nr2 = 0x0\ncall 0x17\nexit"))) {
                p.attachTc(in, Hook.TC_INGRESS, o.program("adjust"));
                assertEquals(Outcome.Fate.TO_HOST, p.worker(0).receive(in, 0, bigBuffer(segment), XdpBuff.PACKET_HEADROOM, segment.length, 1000).fate(), label);
                assertEquals(List.of((int) c[2] << 16, (int) c[2]), host, label + ": tc read gso_size and gso_segs 0; the host's skb has the size");
                p.attachTc(in, Hook.TC_INGRESS, o.program("to_eth1"));
                assertEquals(Outcome.Fate.TRANSMITTED, p.worker(0).receive(in, 0, bigBuffer(segment), XdpBuff.PACKET_HEADROOM, segment.length, 1000).fate());
                assertEquals(List.of((int) c[2]), sent, label + ": the port's sink is told the new size");
            }
        }
    }

    private static MemorySegment bigBuffer(byte[] frame) {
        MemorySegment b = Arena.ofAuto().allocate(8192, 64);
        MemorySegment.copy(MemorySegment.ofArray(frame), 0, b, XdpBuff.PACKET_HEADROOM, frame.length);
        return b;
    }

    /** The helper's check, as a test run shows it: a gso_size set through ctx_in has no segment type, so adjust_room refuses (ENOTSUPP). */
    @Test
    void aTestRunsUntypedLargeSegmentCannotBeAdjusted() {
        byte[] segment = tcpWithoutOptions(100);
        ByteBuffer ctx = ByteBuffer.allocate(192).order(ByteOrder.LITTLE_ENDIAN).putInt(176, 1000).putInt(164, 2);
        try (AsmObject o = AsmObject.load(f.pipeline.objectOptions(), List.of(), AsmObject.Prog.tc("adjust",
                "r2 = 0x8\nr3 = 0x0\nr4 = 0x0\ncall 0x32\nexit"))) {
            ProgTestRun.Result r = ProgTestRun.run(o.program, ProgTestRun.Input.of(segment).withCtx(ctx.array()), Network.loopback());
            assertEquals(-524, (int) r.retval(), "bpftool prog run with gso_size 1000 in ctx_in: -ENOTSUPP");
        }
    }

    /** IPv4/TCP without options (54 bytes of headers) and {@code payload} bytes. */
    private static byte[] tcpWithoutOptions(int payload) {
        ByteBuffer tcp = ByteBuffer.allocate(20 + payload);
        tcp.putShort((short) 40000).putShort((short) 5001).putInt(1).putInt(1).put((byte) 0x50).put((byte) 0x10).putShort((short) 0xffff);
        return TestFrames.ethernet(TestFrames.DST, 0x0800, TestFrames.ipv4(TestFrames.TCP, tcp.array()));
    }
}
