package dev.jxdp.nic.port.tap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jxdp.hooks.Checksum;
import dev.jxdp.hooks.Device;
import dev.jxdp.hooks.Hook;
import dev.jxdp.hooks.Pipeline;
import dev.jxdp.hooks.Port;
import dev.jxdp.hooks.XdpBuff;
import dev.jxdp.load.LoadedObject;
import dev.jxdp.nic.port.posix.Posix;
import dev.jxdp.nic.testing.Cmd;
import dev.jxdp.nic.testing.Netns;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The kernel's side of what tc sees of a large segment from a tap, the worked example jxdp's tap path is
 * held to (SwitchOffloadNamespaceTest): a TCP segment of three and a half MSS written into a kernel tap
 * behind a virtio-net header (IFF_VNET_HDR, gso_type TCPV4), read at the tap's tc ingress by
 * programs/bin/tc_gso_probe.o as tc itself attaches it (clsact, direct-action), its map read back with
 * bpftool. tun keeps the header's gso_size and leaves gso_segs 0 (the skb is SKB_GSO_DODGY: its
 * segments are counted only where it is cut). A plain frame written before it shows what wire_len is at
 * ingress for both: the length less the Ethernet header (qdisc_skb_cb's pkt_len is taken there after
 * eth_type_trans pulled it; tc programs see len with it, pushed back for them).
 */
class GsoAtTcKernelTest {
    private static final int MSS = 1000;
    private static final int PAYLOAD = 3 * MSS + MSS / 2;
    private static final Path PROBE = KernelTaps.object("tc_gso_probe");

    @Test
    void tunGivesTcTheHeadersSegmentSizeAndNoSegmentCount() throws Exception {
        Netns.assumeTaps();
        assumeTrue(Cmd.available("tc") && Cmd.available("bpftool"), "tc (iproute2) or bpftool is not installed");
        String device = Netns.uniqueDevice("jxg");
        try (Netns ns = Netns.create(); Posix posix = new Posix(); Arena arena = Arena.ofConfined()) {
            Tun.Tap tap = Tun.create(posix, device, true);
            try {
                KernelTaps.adoptWithTc(ns, device, "ingress", PROBE);
                // a plain segment (no offload: a zero header), then a large one
                byte[] small = tcpSegment(100);
                byte[] large = tcpSegment(PAYLOAD);
                write(posix, arena, tap.fd(), new byte[Tun.VNET_HDR_LEN], small);
                ByteBuffer first = ByteBuffer.wrap(ns.tcMapValue(device)).order(ByteOrder.LITTLE_ENDIAN);
                assertEquals(1, first.getInt(0), "packets at tc ingress");
                assertEquals(0, first.getInt(4), "large segments");
                assertEquals(0, first.getInt(8), "gso_size of a plain frame");
                assertEquals(small.length, first.getInt(16), "len");
                // qdisc_skb_cb's pkt_len, taken at ingress after eth_type_trans pulled the Ethernet header
                assertEquals(small.length - 14, first.getInt(20), "wire_len");

                ByteBuffer hdr = ByteBuffer.allocate(Tun.VNET_HDR_LEN).order(ByteOrder.LITTLE_ENDIAN);
                // flags NEEDS_CSUM, gso_type TCPV4, hdr_len, gso_size, csum_start (the TCP header), csum_offset (its checksum)
                hdr.put((byte) 1).put((byte) 1).putShort((short) 54).putShort((short) MSS).putShort((short) 34).putShort((short) 16).putShort((short) 0);
                write(posix, arena, tap.fd(), hdr.array(), large);

                ByteBuffer seen = ByteBuffer.wrap(ns.tcMapValue(device)).order(ByteOrder.LITTLE_ENDIAN);
                assertEquals(2, seen.getInt(0), "packets at tc ingress");
                assertEquals(1, seen.getInt(4), "large segments");
                // the last packet (the large one) and the last large one: the same
                for (int at : new int[] {8, 24}) {
                    assertEquals(MSS, seen.getInt(at), "gso_size: the header's");
                    assertEquals(0, seen.getInt(at + 4), "gso_segs");
                    assertEquals(large.length, seen.getInt(at + 8), "len");
                    assertEquals(large.length - 14, seen.getInt(at + 12), "wire_len");
                }
            } finally {
                posix.close(tap.fd());
            }
        }
    }

    /**
     * The kernel's TCP sending 1 MB through a veth (TSO on) with the probe at the sender's tc egress: the
     * last large segment's gso_segs is its payload over gso_size rounded up and its wire_len counts the
     * 66 bytes of headers (TCP with timestamps) of every segment after the first (qdisc_pkt_len_init).
     * The same segment sent by jxdp's host out of a port with the probe at tc egress reads the same.
     */
    @Test
    void tcEgressSeesTcpsSegmentCountAndWireLenAsTheKernelsTcpMakesThem() throws Exception {
        Netns.assumeAvailable();
        assumeTrue(Cmd.available("tc") && Cmd.available("bpftool") && Cmd.available("python3"), "tc, bpftool or python3 is not installed");
        String sender = Netns.uniqueDevice("jxg");
        String receiver = Netns.uniqueDevice("jxg");
        List<Integer> kernel;
        try (Netns a = Netns.create(); Netns b = Netns.create()) {
            Cmd.run("ip", "link", "add", sender, "netns", a.name(), "type", "veth", "peer", "name", receiver, "netns", b.name()).orFail();
            a.exec("ip", "addr", "add", "10.84.0.1/24", "dev", sender).orFail();
            b.exec("ip", "addr", "add", "10.84.0.2/24", "dev", receiver).orFail();
            a.exec("ip", "link", "set", sender, "up").orFail();
            b.exec("ip", "link", "set", receiver, "up").orFail();
            a.exec("tc", "qdisc", "add", "dev", sender, "clsact").orFail();
            a.exec("tc", "filter", "add", "dev", sender, "egress", "bpf", "direct-action", "object-file", PROBE.toString(), "section", "tc")
                    .orFail();
            Process sink = new ProcessBuilder("ip", "netns", "exec", b.name(), "python3", "-c",
                    "import socket\ns=socket.socket(); s.bind(('10.84.0.2', 7000)); s.listen(); c, _ = s.accept()\nwhile c.recv(1 << 16): pass")
                    .redirectErrorStream(true).start();
            try {
                Cmd.Result send = null;
                for (int i = 0; i < 50; i++) { // until the sink listens
                    send = a.exec(30, "python3", "-c", "import socket\ns = socket.create_connection(('10.84.0.2', 7000)); s.sendall(bytes(1 << 20)); s.close()");
                    if (send.status() == 0) {
                        break;
                    }
                    Thread.sleep(100);
                }
                assertEquals(0, send.status(), send.err());
            } finally {
                sink.destroy();
            }
            ByteBuffer seen = ByteBuffer.wrap(a.tcMapValue(sender)).order(ByteOrder.LITTLE_ENDIAN);
            kernel = List.of(seen.getInt(24), seen.getInt(28), seen.getInt(32), seen.getInt(36));
        }
        int size = kernel.get(0);
        int segs = kernel.get(1);
        int len = kernel.get(2);
        assertTrue(size > 0 && segs > 1, "a large segment went out: " + kernel);
        assertEquals((len - 66 + size - 1) / size, segs, "gso_segs: the payload over gso_size, rounded up " + kernel);
        assertEquals(len + (segs - 1) * 66, kernel.get(3), "wire_len " + kernel);

        byte[] frame = tcpSegment(len - 66, 12);
        Pipeline pipeline = Pipeline.builder().workers(1).build();
        Port port = pipeline.addPort(new Device(2, "jxg0", new byte[] {2, 0, 0, 0, 0, 9}, 1500, 1, 0), (p, f, tunnel) -> {});
        try (LoadedObject probe = KernelTaps.load(pipeline, "tc_gso_probe");
                Arena arena = Arena.ofConfined()) {
            pipeline.attachTc(port, Hook.TC_EGRESS, probe.program("tc_gso_probe"));
            MemorySegment buffer = arena.allocate(XdpBuff.PACKET_HEADROOM + frame.length + XdpBuff.SHARED_INFO, 64);
            MemorySegment.copy(MemorySegment.ofArray(frame), 0, buffer, XdpBuff.PACKET_HEADROOM, frame.length);
            pipeline.worker(0).transmit(port, buffer, XdpBuff.PACKET_HEADROOM, frame.length, size);
            ByteBuffer jxdp = ByteBuffer.wrap(probe.map("gso_seen").lookup(new byte[4]).orElseThrow()).order(ByteOrder.LITTLE_ENDIAN);
            assertEquals(kernel, List.of(jxdp.getInt(24), jxdp.getInt(28), jxdp.getInt(32), jxdp.getInt(36)), "jxdp's probe against the kernel's");
        }
    }

    /** One write(2) of the virtio-net header and the frame, as a VMM's tap backend writes. */
    private static void write(Posix posix, Arena arena, int fd, byte[] header, byte[] frame) {
        MemorySegment out = arena.allocate(header.length + frame.length);
        MemorySegment.copy(MemorySegment.ofArray(header), 0, out, 0, header.length);
        MemorySegment.copy(MemorySegment.ofArray(frame), 0, out, header.length, frame.length);
        assertEquals(out.byteSize(), posix.write(fd, out.address(), out.byteSize()), "tun took the frame: " + Posix.strerror(posix.errno()));
    }

    private static byte[] tcpSegment(int payload) {
        return tcpSegment(payload, 0);
    }

    /**
     * Ethernet, IPv4 (checksum set), TCP (ACK, checksum left to the offload) with {@code options} bytes of
     * options (12: NOP, NOP and timestamps, as Linux sends), and {@code payload} bytes.
     */
    private static byte[] tcpSegment(int payload, int options) {
        int tcp = 20 + options;
        ByteBuffer b = ByteBuffer.allocate(14 + 20 + tcp + payload);
        b.put(new byte[] {2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1}).putShort((short) 0x0800);
        b.put((byte) 0x45).put((byte) 0).putShort((short) (20 + tcp + payload)).putShort((short) 1).putShort((short) 0x4000)
                .put((byte) 64).put((byte) 6).putShort((short) 0).put(new byte[] {10, 83, 0, 1}).put(new byte[] {10, 83, 0, 2});
        // the header checksum as the kernel's ip_fast_csum makes it (a sum of little-endian words, stored as it comes)
        b.order(ByteOrder.LITTLE_ENDIAN).putShort(24, (short) Checksum.fold(Checksum.partial(MemorySegment.ofArray(b.array()), 14, 20, 0)));
        b.order(ByteOrder.BIG_ENDIAN);
        b.putShort((short) 40000).putShort((short) 5001).putInt(1).putInt(1).put((byte) (tcp / 4 << 4)).put((byte) 0x10).putShort((short) 0xffff)
                .putShort((short) 0).putShort((short) 0);
        if (options == 12) {
            b.put(new byte[] {1, 1, 8, 10}).putInt(7).putInt(9);
        }
        return b.array();
    }
}
