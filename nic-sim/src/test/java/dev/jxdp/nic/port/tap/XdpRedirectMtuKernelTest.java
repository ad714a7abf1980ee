package dev.jxdp.nic.port.tap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jxdp.hooks.Device;
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
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Which frames an XDP redirect hands to a port of MTU 1500, jxdp against the kernel: two kernel taps
 * in a namespace, programs/bin/xdp_redirect_devmap.o on the first in native mode (tun runs it in its
 * own receive path) with its devmap pointing at the second; frames of 1514, 1518, 1519 and 1600 bytes
 * written into the first, and what comes out of the second read back. The kernel passes a frame of up to
 * the MTU plus 18 bytes (xdp_ok_fwd_dev); jxdp, with the same object and devmap between two ports of MTU
 * 1500, must pass the same frames.
 */
class XdpRedirectMtuKernelTest {
    private static final int[] SIZES = {1514, 1518, 1519, 1600};

    @Test
    void aRedirectPassesTheFramesTheKernelsPasses() throws Exception {
        Netns.assumeTaps();
        assumeTrue(Cmd.available("bpftool"), "bpftool is not installed");
        List<Boolean> kernel = new ArrayList<>();
        String in = Netns.uniqueDevice("jxm");
        String out = Netns.uniqueDevice("jxm");
        try (Netns ns = Netns.create(); Posix posix = new Posix(); Arena arena = Arena.ofConfined()) {
            Tun.Tap a = Tun.create(posix, in, false);
            Tun.Tap b = Tun.create(posix, out, false);
            try {
                for (String d : List.of(in, out)) {
                    ns.adopt(d);
                    ns.exec("sysctl", "-qw", "net.ipv6.conf." + d + ".disable_ipv6=1").orFail(); // nothing but the test's frames
                    ns.exec("ip", "link", "set", d, "mtu", "1500", "up").orFail();
                }
                ns.exec("ip", "link", "set", "dev", in, "xdpdrv", "object", KernelTaps.object("xdp_redirect_devmap").toString(), "section", "xdp").orFail();
                int target = Integer.parseInt(ns.exec("cat", "/sys/class/net/" + out + "/ifindex").orFail().out().strip());
                ns.exec("bpftool", "map", "update", "id", Integer.toString(devmap(ns, in)), "key", "0", "0", "0", "0", "value",
                        Integer.toString(target & 0xff), Integer.toString(target >> 8 & 0xff), Integer.toString(target >> 16 & 0xff), "0").orFail();
                MemorySegment buf = arena.allocate(4096);
                while (posix.read(b.fd(), buf.address(), buf.byteSize()) > 0) {
                    // whatever the second tap had before the test's frames
                }
                for (int size : SIZES) {
                    MemorySegment.copy(MemorySegment.ofArray(frame(size)), 0, buf, 0, size);
                    assertEquals(size, posix.write(a.fd(), buf.address(), size), "tun took " + size + " bytes");
                    byte[] got = KernelTaps.readFrame(posix, b.fd(), buf, System.nanoTime() + 500_000_000L);
                    kernel.add(got != null && got.length == size);
                }
            } finally {
                posix.close(a.fd());
                posix.close(b.fd());
            }
        }
        assertEquals(List.of(true, true, false, false), kernel, "the kernel's answer for " + java.util.Arrays.toString(SIZES));

        List<Boolean> jxdp = new ArrayList<>();
        Pipeline pipeline = Pipeline.builder().workers(1).build();
        Port a = pipeline.addPort(new Device(2, "jxm0", new byte[] {2, 0, 0, 0, 0, 9}, 1500, 1, 0), (p, f, tunnel) -> {});
        pipeline.addPort(new Device(3, "jxm1", new byte[] {2, 0, 0, 0, 0, 10}, 1500, 1, 0), (p, f, tunnel) -> {});
        try (LoadedObject o = KernelTaps.load(pipeline, "xdp_redirect_devmap");
                Arena arena = Arena.ofConfined()) {
            o.map("tx_port").update(new byte[4], ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(3).array());
            pipeline.attachXdp(a, o.program("xdp_redirect_devmap"));
            for (int size : SIZES) {
                MemorySegment buffer = arena.allocate(4096, 64);
                MemorySegment.copy(MemorySegment.ofArray(frame(size)), 0, buffer, XdpBuff.PACKET_HEADROOM, size);
                jxdp.add(pipeline.worker(0).receive(a, 0, buffer, XdpBuff.PACKET_HEADROOM, size).fate() == Outcome.Fate.TRANSMITTED);
            }
        }
        assertEquals(kernel, jxdp, "jxdp's answer against the kernel's");
    }

    /** {@code size} bytes: an Ethernet header (IPv4 type, to an address nobody has) and zeros. */
    private static byte[] frame(int size) {
        return ByteBuffer.allocate(size).put(new byte[] {2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1}).putShort((short) 0x0800).array();
    }

    private static int devmap(Netns ns, String device) throws Exception {
        ObjectMapper json = new ObjectMapper();
        int prog = json.readTree(ns.exec("bpftool", "-j", "net", "show", "dev", device).orFail().out()).get(0).get("xdp").get(0).get("id").asInt();
        return json.readTree(ns.exec("bpftool", "-j", "prog", "show", "id", Integer.toString(prog)).orFail().out()).get("map_ids").get(0).asInt();
    }
}
