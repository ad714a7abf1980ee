package dev.jxdp.nic.port.tap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jxdp.hooks.Device;
import dev.jxdp.hooks.Hook;
import dev.jxdp.hooks.Outcome;
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
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A checksum still to be completed, fixed by a NAT program as the kernel fixes it. A TCP segment whose
 * checksum field holds only the pseudo-header's sum is written into kernel tap A behind a virtio-net
 * header saying NEEDS_CSUM (tun makes the skb CHECKSUM_PARTIAL); programs/bin/tc_snat.o at A's tc
 * ingress rewrites the source address with bpf_l4_csum_replace(BPF_F_PSEUDO_HDR), then a u32 filter's
 * mirred action sends it out of tap B, whose reader takes offloads: B hands the segment out still
 * partial. The field the kernel leaves must complete to a valid checksum, and jxdp, given the same
 * segment as partial, must leave the same bytes.
 */
class ChecksumPartialKernelTest {
    private static final HexFormat HEX = HexFormat.of();
    /**
     * 10.0.0.1:40000 -> 10.0.0.2:5001, PSH|ACK, "hello, checksum"; the IPv4 header checksum complete, the
     * TCP one the pseudo-header's sum (0x2c14: addresses, protocol 6, TCP length 35), as a sender leaves
     * it for the device.
     */
    private static final byte[] SEGMENT = HEX.parseHex("02000000000202000000000108004500003700014000400626be0a0000010a000002"
            + "9c40138900000001000000015018ffff142c0000" + "68656c6c6f2c20636865636b73756d");

    @Test
    void aNatProgramFixesAPartialChecksumAsTheKernelDoes() throws Exception {
        Netns.assumeTaps();
        assumeTrue(Cmd.available("tc"), "tc (iproute2) is not installed");
        String a = Netns.uniqueDevice("jxc");
        String b = Netns.uniqueDevice("jxc");
        byte[] kernel;
        try (Netns ns = Netns.create(); Posix posix = new Posix(); Arena arena = Arena.ofConfined()) {
            Tun.Tap tapA = Tun.create(posix, a, true);
            Tun.Tap tapB = Tun.create(posix, b, true);
            try {
                ns.adopt(b);
                ns.exec("sysctl", "-qw", "net.ipv6.conf." + b + ".disable_ipv6=1").orFail();
                ns.exec("ip", "link", "set", b, "up").orFail();
                ns.exec("sysctl", "-qw", "net.ipv6.conf.default.disable_ipv6=1").orFail();
                KernelTaps.adoptWithTc(ns, a, "ingress", KernelTaps.object("tc_snat"));
                // after tc_snat (tc gave it preference 49152): the mirred action sends the rewritten segment out of B
                Cmd.Result mirred = ns.exec("tc", "filter", "add", "dev", a, "ingress", "prio", "65000", "protocol", "all", "u32", "match", "u32", "0",
                        "0", "action", "mirred", "egress", "redirect", "dev", b);
                assumeTrue(mirred.status() == 0, "this kernel has no u32 classifier or mirred action: " + mirred.err());
                MemorySegment buf = arena.allocate(4096);
                while (posix.read(tapB.fd(), buf.address(), buf.byteSize()) > 0) {
                    // what B had before the test's segment
                }
                ByteBuffer hdr = ByteBuffer.allocate(Tun.VNET_HDR_LEN).order(ByteOrder.LITTLE_ENDIAN);
                hdr.put((byte) 1).put((byte) 0).putShort((short) 54).putShort((short) 0).putShort((short) 34).putShort((short) 16); // NEEDS_CSUM at 34 + 16
                MemorySegment.copy(MemorySegment.ofArray(hdr.array()), 0, buf, 0, Tun.VNET_HDR_LEN);
                MemorySegment.copy(MemorySegment.ofArray(SEGMENT), 0, buf, Tun.VNET_HDR_LEN, SEGMENT.length);
                assertEquals(Tun.VNET_HDR_LEN + SEGMENT.length, posix.write(tapA.fd(), buf.address(), Tun.VNET_HDR_LEN + SEGMENT.length));
                kernel = KernelTaps.readFrame(posix, tapB.fd(), buf, System.nanoTime() + 2_000_000_000L);
            } finally {
                posix.close(tapA.fd());
                posix.close(tapB.fd());
            }
        }
        assertNotNull(kernel, "nothing came out of tap B");
        assertEquals(1, kernel[0], "B hands the segment out still partial (NEEDS_CSUM)");
        byte[] kernelFrame = java.util.Arrays.copyOfRange(kernel, Tun.VNET_HDR_LEN, kernel.length);
        assertEquals("c0000201", HEX.formatHex(kernelFrame, 26, 30), "the source the kernel's run of tc_snat wrote");
        assertEquals(0xffff, completedSum(kernelFrame), "the kernel's partial field completes to a valid TCP checksum");

        List<byte[]> host = new ArrayList<>();
        Pipeline pipeline = Pipeline.builder().workers(1).host((port, skb) -> host.add(skb.toByteArray())).build();
        Port port = pipeline.addPort(new Device(2, "jxc0", new byte[] {2, 0, 0, 0, 0, 9}, 1500, 1, 0), (p, f, tunnel) -> {});
        try (LoadedObject snat = KernelTaps.load(pipeline, "tc_snat"); Arena arena = Arena.ofConfined()) {
            pipeline.attachTc(port, Hook.TC_INGRESS, snat.program("tc_snat"));
            MemorySegment buffer = arena.allocate(4096, 64);
            MemorySegment.copy(MemorySegment.ofArray(SEGMENT), 0, buffer, XdpBuff.PACKET_HEADROOM, SEGMENT.length);
            Outcome o = pipeline.worker(0).receive(port, 0, buffer, XdpBuff.PACKET_HEADROOM, SEGMENT.length, 0, true);
            assertEquals(Outcome.Fate.TO_HOST, o.fate());
        }
        assertEquals(HEX.formatHex(kernelFrame), HEX.formatHex(host.getFirst()), "jxdp's segment against the kernel's");
    }

    /**
     * RFC 1071 over the TCP segment with its field completed as a device completes it (the sum from
     * csum_start, 34, to the end, complemented into the field), plus the new pseudo-header: 0xffff
     * when the checksum is valid.
     */
    private static int completedSum(byte[] frame) {
        byte[] f = frame.clone();
        int tcpLength = f.length - 34;
        byte[] tcp = java.util.Arrays.copyOfRange(f, 34, f.length);
        int field = ~sum16(tcp) & 0xffff;
        tcp[16] = (byte) (field >> 8);
        tcp[17] = (byte) field;
        byte[] pseudo = ByteBuffer.allocate(12).put(f, 26, 8).put((byte) 0).put((byte) 6).putShort((short) tcpLength).array();
        byte[] all = ByteBuffer.allocate(12 + tcp.length).put(pseudo).put(tcp).array();
        return sum16(all);
    }

    /** The 16-bit one's complement sum of {@code b} as big-endian words, an odd last byte padded with zero. */
    private static int sum16(byte[] b) {
        long s = 0;
        for (int i = 0; i < b.length; i += 2) {
            s += (b[i] & 0xff) << 8 | (i + 1 < b.length ? b[i + 1] & 0xff : 0);
        }
        while (s >> 16 != 0) {
            s = (s & 0xffff) + (s >> 16);
        }
        return (int) s;
    }
}
