package dev.jxdp.hooks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jxdp.load.LoadedObject;
import dev.jxdp.obj.LoadOptions;
import dev.jxdp.obj.ObjectLoader;
import dev.jxdp.testing.Repo;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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
}
