package dev.jxdp.nic.port.tap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every scalar field of __sk_buff at tc ingress, jxdp against a kernel tap, for one ICMP echo request:
 * with no XDP program, after a native XDP_PASS (xdp_pass.o attached xdpdrv, as tun runs it in its own
 * receive path, the model of jxdp's ports), and after xdp_cpu_steer.o sent it through a cpumap to CPU 1.
 * programs/bin/tc_skb_fields.o records the fields; everything must match but the ifindexes (the
 * kernel's tap has its own) and tstamp (set by the kernel whenever anything on the machine has asked
 * for receive timestamps). The kernel's answer on this machine: queue_mapping 1 (queue 0, recorded as
 * skb_record_rx_queue does) after the first two, 0 after the cpumap hop, wire_len len - 14.
 */
class SkbAtTcIngressKernelTest {
    private static final HexFormat HEX = HexFormat.of();
    /** Offsets in tc_skb_fields' record: ingress_ifindex and ifindex, tstamp; and its size. */
    private static final int IFINDEXES = 40;
    private static final int TSTAMP = 80;
    private static final int RECORD = 104;

    @Test
    void tcIngressSeesWhatTheKernelsTapReceivePathGivesAPacket() throws Exception {
        Netns.assumeTaps();
        assumeTrue(Cmd.available("tc") && Cmd.available("bpftool"), "tc (iproute2) or bpftool is not installed");
        assumeTrue(Runtime.getRuntime().availableProcessors() >= 2, "the cpumap case needs a CPU 1");
        byte[] frame = icmpEcho();
        Map<String, byte[]> kernel = new LinkedHashMap<>();
        String device = Netns.uniqueDevice("jxs");
        try (Netns ns = Netns.create(); Posix posix = new Posix(); Arena arena = Arena.ofConfined()) {
            Tun.Tap tap = Tun.create(posix, device, false);
            try {
                KernelTaps.adoptWithTc(ns, device, "ingress", KernelTaps.object("tc_skb_fields"));
                MemorySegment out = arena.allocate(frame.length);
                MemorySegment.copy(MemorySegment.ofArray(frame), 0, out, 0, frame.length);
                int[] packets = {0};
                Runnable write = () -> {
                    assertEquals(frame.length, posix.write(tap.fd(), out.address(), frame.length), "tun took the frame");
                    packets[0]++;
                };

                write.run();
                kernel.put("no XDP", awaitRecord(ns, device, packets[0]));
                ns.exec("ip", "link", "set", "dev", device, "xdpdrv", "object", KernelTaps.object("xdp_pass").toString(), "section", "xdp").orFail();
                write.run();
                kernel.put("XDP_PASS", awaitRecord(ns, device, packets[0]));
                ns.exec("ip", "link", "set", "dev", device, "xdpdrv", "off").orFail();
                ns.exec("ip", "link", "set", "dev", device, "xdpdrv", "object", KernelTaps.object("xdp_cpu_steer").toString(), "section", "xdp").orFail();
                ns.exec("bpftool", "map", "update", "id", Integer.toString(xdpMap(ns, device, "cpus")), "key", "1", "0", "0", "0", "value",
                        "64", "0", "0", "0", "0", "0", "0", "0").orFail();
                write.run();
                kernel.put("cpumap", awaitRecord(ns, device, packets[0]));
            } finally {
                posix.close(tap.fd());
            }
        }
        assertEquals(1, field(kernel.get("XDP_PASS"), 16), "the kernel's queue_mapping after XDP_PASS on queue 0");
        assertEquals(0, field(kernel.get("cpumap"), 16), "the kernel's queue_mapping after a cpumap hop");

        Pipeline pipeline = Pipeline.builder().workers(2).build();
        Port port = pipeline.addPort(new Device(2, "jxs0", new byte[] {2, 0, 0, 0, 0, 9}, 1500, 1, 0), (p, f, tunnel) -> {});
        try (LoadedObject probe = KernelTaps.load(pipeline, "tc_skb_fields"); LoadedObject pass = KernelTaps.load(pipeline, "xdp_pass");
                LoadedObject steer = KernelTaps.load(pipeline, "xdp_cpu_steer"); Arena arena = Arena.ofConfined()) {
            pipeline.attachTc(port, Hook.TC_INGRESS, probe.program("tc_skb_fields"));
            steer.map("cpus").update(KernelTaps.le(1), ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(64).array());
            for (String c : kernel.keySet()) {
                switch (c) {
                    case "XDP_PASS" -> pipeline.attachXdp(port, pass.program("xdp_pass"));
                    case "cpumap" -> pipeline.attachXdp(port, steer.program("xdp_cpu_steer"));
                    default -> {}
                }
                MemorySegment buffer = arena.allocate(4096, 64);
                MemorySegment.copy(MemorySegment.ofArray(frame), 0, buffer, XdpBuff.PACKET_HEADROOM, frame.length);
                pipeline.worker(0).receive(port, 0, buffer, XdpBuff.PACKET_HEADROOM, frame.length);
                pipeline.worker(1).poll(); // the cpumap's CPU 1
                byte[] jxdp = probe.map("skb_fields").lookup(KernelTaps.le(0)).orElseThrow();
                assertEquals(0L, ByteBuffer.wrap(jxdp).order(ByteOrder.LITTLE_ENDIAN).getLong(TSTAMP), c + ": jxdp's tstamp");
                assertEquals(HEX.formatHex(comparable(kernel.get(c))), HEX.formatHex(comparable(jxdp)), c + ": jxdp's __sk_buff against the kernel's");
            }
        }
    }

    /** The record without the fields that may differ for reasons outside the packet's path (see the class comment). */
    private static byte[] comparable(byte[] record) {
        assertEquals(RECORD, record.length);
        byte[] c = record.clone();
        java.util.Arrays.fill(c, IFINDEXES, IFINDEXES + 8, (byte) 0);
        java.util.Arrays.fill(c, TSTAMP, TSTAMP + 8, (byte) 0);
        return c;
    }

    private static int field(byte[] record, int at) {
        return ByteBuffer.wrap(record).order(ByteOrder.LITTLE_ENDIAN).getInt(at);
    }

    /** The probe's record once it has counted {@code packets} (a cpumap hop arrives on another CPU's kthread), waiting up to 5 s. */
    private static byte[] awaitRecord(Netns ns, String device, int packets) throws Exception {
        long until = System.nanoTime() + 5_000_000_000L;
        byte[] r = ns.tcMapValue(device);
        while (field(r, 0) < packets && System.nanoTime() < until) {
            Thread.sleep(20);
            r = ns.tcMapValue(device);
        }
        assertEquals(packets, field(r, 0), "packets at the kernel's tc ingress");
        return r;
    }

    /** The id of the map named {@code name} of the XDP program on {@code device}. */
    private static int xdpMap(Netns ns, String device, String name) throws Exception {
        ObjectMapper json = new ObjectMapper();
        int prog = json.readTree(ns.exec("bpftool", "-j", "net", "show", "dev", device).orFail().out()).get(0).get("xdp").get(0).get("id").asInt();
        for (var id : json.readTree(ns.exec("bpftool", "-j", "prog", "show", "id", Integer.toString(prog)).orFail().out()).get("map_ids")) {
            var info = json.readTree(ns.exec("bpftool", "-j", "map", "show", "id", id.asText()).orFail().out());
            if (name.equals(info.get("name").asText())) {
                return id.asInt();
            }
        }
        throw new AssertionError("no map " + name + " on " + device + "'s XDP program");
    }

    /** Ethernet (to 02:00:00:00:00:02), IPv4 with its checksum, ICMP echo request with its checksum. */
    private static byte[] icmpEcho() {
        ByteBuffer b = ByteBuffer.allocate(14 + 20 + 8 + 32);
        b.put(new byte[] {2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1}).putShort((short) 0x0800);
        b.put((byte) 0x45).put((byte) 0).putShort((short) 60).putShort((short) 1).putShort((short) 0x4000).put((byte) 64).put((byte) 1)
                .putShort((short) 0).put(new byte[] {10, 83, 0, 1}).put(new byte[] {10, 83, 0, 2});
        b.put((byte) 8).put((byte) 0).putShort((short) 0).putShort((short) 7).putShort((short) 1);
        MemorySegment m = MemorySegment.ofArray(b.array());
        // checksums as the kernel's csum folds store them (sums of little-endian words, stored as they come)
        b.order(ByteOrder.LITTLE_ENDIAN).putShort(24, (short) Checksum.fold(Checksum.partial(m, 14, 20, 0)));
        b.putShort(36, (short) Checksum.fold(Checksum.partial(m, 34, 40, 0)));
        return b.array();
    }
}
