package dev.jxdp.nic.port.tap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * VLAN tags on jxdp's packet path against a kernel tap's, frame for frame. At ingress the kernel takes
 * the outer tag out of the data before tc runs (skb_vlan_untag in __netif_receive_skb_core), holding it
 * beside the packet: programs/bin/tc_vlan_probe.o at the tap's tc ingress, behind the XDP program of
 * xdp_tc_meta_handoff.o in generic mode (which adds metadata), records what tc sees; the same frames go
 * through jxdp's pipeline with the same programs and the two maps must agree after every frame. At
 * egress a tag pushed by programs/bin/tc_vlan_tag.o goes into the frame as it leaves: the frame a kernel
 * tap hands out must be the one jxdp sends.
 */
class VlanAtTcKernelTest {
    private static final byte[] MACS = {2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1};
    private static final HexFormat HEX = HexFormat.of();
    /** xdp_tc_meta_handoff's META_MAGIC, the metadata's first word. */
    private static final int META_MAGIC = 0x6a786470;

    /** The frames written, by name: untagged, 802.1Q, QinQ, 802.1Q over LLC and over raw 802.3, and one tagged frame too short to untag. */
    private static Map<String, byte[]> frames() {
        byte[] udp = HEX.parseHex("4500001c00014000401100000a5300010a530002" + "0001000200080000");
        Map<String, byte[]> f = new LinkedHashMap<>();
        f.put("untagged", frame("0800", udp));
        f.put("802.1Q", frame("81002005" + "0800", udp));
        f.put("QinQ", frame("88a80007" + "81000009" + "0800", udp));
        f.put("802.1Q LLC", frame("81000005" + "0030" + "aaaa03", new byte[40]));
        f.put("802.1Q raw 802.3", frame("81000005" + "0030" + "ffff", new byte[40]));
        f.put("802.1Q, 19 bytes", frame("81000005" + "0800" + "45", new byte[0]));
        return f;
    }

    private static byte[] frame(String afterMacs, byte[] rest) {
        byte[] mid = HEX.parseHex(afterMacs);
        return ByteBuffer.allocate(MACS.length + mid.length + rest.length).put(MACS).put(mid).put(rest).array();
    }

    @Test
    void tcIngressSeesTheOuterTagHeldOutOfTheDataAsTheKernelDoes() throws Exception {
        assumeKernelTools();
        Map<String, byte[]> frames = frames();
        Map<String, byte[]> kernel = new LinkedHashMap<>();
        String device = Netns.uniqueDevice("jxv");
        try (Netns ns = Netns.create(); Posix posix = new Posix(); Arena arena = Arena.ofConfined()) {
            Tun.Tap tap = Tun.create(posix, device, false);
            try {
                KernelTaps.adoptWithTc(ns, device, "ingress", KernelTaps.object("tc_vlan_probe"));
                ns.exec("ip", "link", "set", "dev", device, "xdpgeneric", "object", KernelTaps.object("xdp_tc_meta_handoff").toString(), "section", "xdp")
                        .orFail();
                for (var e : frames.entrySet()) {
                    MemorySegment out = arena.allocate(e.getValue().length);
                    MemorySegment.copy(MemorySegment.ofArray(e.getValue()), 0, out, 0, e.getValue().length);
                    assertEquals(out.byteSize(), posix.write(tap.fd(), out.address(), out.byteSize()), "tun took " + e.getKey());
                    kernel.put(e.getKey(), ns.tcMapValue(device));
                }
            } finally {
                posix.close(tap.fd());
            }
        }

        // the kernel's answer, as a worked example: the 802.1Q frame's tag is held, its data 4 bytes shorter
        ByteBuffer dot1q = ByteBuffer.wrap(kernel.get("802.1Q")).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(List.of(2, 1, 0x2005, 0x0081, 0x0008, 42, 28, 0x0800, 8, META_MAGIC), ints(dot1q), "the kernel at tc ingress, 802.1Q frame");
        assertEquals(5, ByteBuffer.wrap(kernel.get("802.1Q, 19 bytes")).order(ByteOrder.LITTLE_ENDIAN).getInt(0),
                "the short tagged frame never reaches tc in the kernel");

        List<byte[]> delivered = new ArrayList<>();
        Pipeline pipeline = Pipeline.builder().workers(1).host((port, skb) -> delivered.add(skb.toByteArray())).build();
        Port port = pipeline.addPort(new Device(2, "jxv0", new byte[] {2, 0, 0, 0, 0, 9}, 1500, 1, 0), (p, frame, tunnel) -> {});
        try (LoadedObject xdp = KernelTaps.load(pipeline, "xdp_tc_meta_handoff"); LoadedObject probe = KernelTaps.load(pipeline, "tc_vlan_probe");
                Arena arena = Arena.ofConfined()) {
            pipeline.attachXdp(port, xdp.program("xdp_store_meta"));
            pipeline.attachTc(port, Hook.TC_INGRESS, probe.program("tc_vlan_probe"));
            for (var e : frames.entrySet()) {
                byte[] f = e.getValue();
                MemorySegment buffer = arena.allocate(4096, 64);
                MemorySegment.copy(MemorySegment.ofArray(f), 0, buffer, XdpBuff.PACKET_HEADROOM, f.length);
                Outcome o = pipeline.worker(0).receive(port, 0, buffer, XdpBuff.PACKET_HEADROOM, f.length);
                byte[] jxdp = probe.map("vlan_seen").lookup(new byte[4]).orElseThrow();
                assertEquals(HEX.formatHex(kernel.get(e.getKey())), HEX.formatHex(jxdp), e.getKey() + ": jxdp's probe against the kernel's");
                if (e.getKey().endsWith("19 bytes")) {
                    assertEquals(Outcome.Fate.DROPPED, o.fate(), o.reason());
                } else {
                    assertEquals(Outcome.Fate.TO_HOST, o.fate(), e.getKey());
                    assertArrayEquals(f, delivered.getLast(), e.getKey() + ": the host gets the frame with its tag back in place");
                }
            }
        }
    }

    @Test
    void aTagPushedAtTcEgressLeavesInTheFrameAsFromAKernelTap() throws Exception {
        assumeKernelTools();
        assumeTrue(Cmd.available("ping"), "ping is not installed");
        String device = Netns.uniqueDevice("jxv");
        byte[] kernelOut;
        try (Netns ns = Netns.create(); Posix posix = new Posix(); Arena arena = Arena.ofConfined()) {
            Tun.Tap tap = Tun.create(posix, device, false);
            try {
                ns.adopt(device);
                ns.exec("sysctl", "-qw", "net.ipv6.conf." + device + ".disable_ipv6=1").orFail(); // no neighbour discovery on the wire
                ns.exec("ip", "addr", "add", "10.77.0.1/24", "dev", device).orFail();
                ns.exec("ip", "link", "set", device, "up").orFail();
                ns.exec("ip", "neigh", "add", "10.77.0.2", "lladdr", "02:00:00:00:00:02", "dev", device).orFail();
                ns.exec("tc", "qdisc", "add", "dev", device, "clsact").orFail();
                ns.exec("tc", "filter", "add", "dev", device, "egress", "bpf", "direct-action", "object-file",
                        KernelTaps.object("tc_vlan_tag").toString(), "section", "tc").orFail();
                ns.exec(5, "ping", "-c", "1", "-W", "1", "10.77.0.2"); // no one answers: the request is what is wanted
                kernelOut = readEchoRequest(posix, arena, tap.fd());
            } finally {
                posix.close(tap.fd());
            }
        }
        assertNotNull(kernelOut, "the echo request never left the tap");
        assertEquals("810000640800", HEX.formatHex(kernelOut, 12, 18), "the kernel's frame: 802.1Q, VLAN 100, then IPv4");

        // the same frame without its tag, sent by jxdp's host out of a port with the program at tc egress
        byte[] untagged = ByteBuffer.allocate(kernelOut.length - 4).put(kernelOut, 0, 12).put(kernelOut, 16, kernelOut.length - 16).array();
        List<byte[]> sent = new ArrayList<>();
        Pipeline pipeline = Pipeline.builder().workers(1).build();
        Port port = pipeline.addPort(new Device(2, "jxv0", new byte[] {2, 0, 0, 0, 0, 9}, 1500, 1, 0),
                (p, frame, tunnel) -> sent.add(frame.toArray(ValueLayout.JAVA_BYTE)));
        try (LoadedObject tag = KernelTaps.load(pipeline, "tc_vlan_tag"); Arena arena = Arena.ofConfined()) {
            pipeline.attachTc(port, Hook.TC_EGRESS, tag.program("tc_vlan_tag"));
            MemorySegment buffer = arena.allocate(4096, 64);
            MemorySegment.copy(MemorySegment.ofArray(untagged), 0, buffer, XdpBuff.PACKET_HEADROOM, untagged.length);
            assertEquals(Outcome.Fate.TRANSMITTED, pipeline.worker(0).transmit(port, buffer, XdpBuff.PACKET_HEADROOM, untagged.length).fate());
        }
        assertEquals(HEX.formatHex(kernelOut), HEX.formatHex(sent.getFirst()), "jxdp's frame against the kernel tap's");
    }

    private static void assumeKernelTools() {
        Netns.assumeTaps();
        assumeTrue(Cmd.available("tc") && Cmd.available("bpftool"), "tc (iproute2) or bpftool is not installed");
    }

    /** The first IPv4 ICMP echo request the tap hands out (behind one VLAN tag or none), waiting up to 5 s; null if none came. */
    private static byte[] readEchoRequest(Posix posix, Arena arena, int fd) throws InterruptedException {
        MemorySegment in = arena.allocate(2048);
        long until = System.nanoTime() + 5_000_000_000L;
        for (byte[] f; (f = KernelTaps.readFrame(posix, fd, in, until)) != null; ) {
            int l3 = f.length >= 18 && (f[12] & 0xff) == 0x81 && f[13] == 0 ? 18 : 14;
            if (f.length >= l3 + 21 && (f[l3 - 2] & 0xff) == 0x08 && f[l3 - 1] == 0 && f[l3 + 9] == 1 && f[l3 + 20] == 8) {
                return f;
            }
        }
        return null;
    }

    private static List<Integer> ints(ByteBuffer b) {
        List<Integer> out = new ArrayList<>();
        for (int at = 0; at < b.capacity(); at += 4) {
            out.add(b.getInt(at));
        }
        return out;
    }
}
