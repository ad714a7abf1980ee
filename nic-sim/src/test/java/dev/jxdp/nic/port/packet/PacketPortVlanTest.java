package dev.jxdp.nic.port.packet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jxdp.nic.Datapath;
import dev.jxdp.nic.Destination;
import dev.jxdp.nic.PortConfig;
import dev.jxdp.nic.testing.Cmd;
import dev.jxdp.nic.testing.Netns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A packet port receives a VLAN-tagged frame as it crossed the wire. The kernel takes the outer tag
 * out of every frame it receives before packet sockets see it (skb_vlan_untag), leaving it in the
 * socket's auxiliary data, so the port must put it back, as libpcap does for tcpdump. The frames are
 * written raw into the far end of a veth in a namespace and must arrive byte for byte.
 */
@Timeout(60)
class PacketPortVlanTest {
    private static final HexFormat HEX = HexFormat.of();
    /** Broadcast from 02:00:00:00:00:01, then the tags and an IPv4 ethertype, then 46 bytes of payload. */
    private static final String MACS = "ffffffffffff" + "020000000001";
    private static final String PAYLOAD = "0800" + "00".repeat(46);

    @Test
    void tagsTheKernelTookOutArePutBack() throws Exception {
        Netns.assumeAvailable();
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "no /usr/bin/python3 to write raw frames");
        String v = Netns.uniqueDevice("jxpv");
        Cmd.run("ip", "link", "add", v, "type", "veth", "peer", "name", v + "p").orFail();
        BlockingQueue<byte[]> got = new LinkedBlockingQueue<>();
        PacketPort port = new PacketPort("p", PortConfig.of(2), v);
        try (Netns ns = Netns.create("jxpv"); Datapath dp = Datapath.builder().port(port).processor((frame, worker) -> {
            got.add(frame.toByteArray());
            return Destination.Verdict.DROP;
        }).build()) {
            ns.adopt(v + "p");
            ns.exec("ip", "link", "set", v + "p", "up").orFail();
            Cmd.run("ip", "link", "set", v, "up").orFail();
            dp.start();
            String[] frames = {
                MACS + "8100600a" + PAYLOAD, // 802.1Q, priority 3, VLAN 10
                MACS + "88a80064" + "8100000a" + PAYLOAD, // 802.1ad VLAN 100 outside, 802.1Q VLAN 10 inside
                MACS + "81000000" + PAYLOAD, // a priority tag (VLAN 0): a tag all the same
                MACS + PAYLOAD, // untagged, as it was
            };
            for (String f : frames) {
                send(ns, v + "p", f);
                byte[] frame = next(got);
                assertNotNull(frame, "nothing received for " + f);
                assertArrayEquals(HEX.parseHex(f), frame, "received " + HEX.formatHex(frame));
            }
            assertEquals(0, port.rxErrors.get());
        } finally {
            Cmd.run("ip", "link", "del", v);
        }
    }

    /** Writes {@code hex} as one frame into {@code device} with a raw packet socket (what the kernel receives on the other end). */
    private static void send(Netns ns, String device, String hex) {
        ns.exec("/usr/bin/python3", "-c", "import socket; s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW); s.bind(('" + device
                + "', 0)); s.send(bytes.fromhex('" + hex + "'))").orFail();
    }

    /** The next frame that is not the kernel's own (IPv6 router solicitations and the like go by while a veth comes up). */
    private static byte[] next(BlockingQueue<byte[]> got) throws InterruptedException {
        for (;;) {
            byte[] f = got.poll(5, TimeUnit.SECONDS);
            if (f == null || HEX.formatHex(f, 6, 12).equals("020000000001")) {
                return f;
            }
        }
    }
}
