package dev.jxdp.nic.port.udp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jxdp.nic.Datapath;
import dev.jxdp.nic.Destination;
import dev.jxdp.nic.FrameProcessor;
import dev.jxdp.nic.PortConfig;
import dev.jxdp.nic.port.gen.GeneratorPort;
import dev.jxdp.nic.port.gen.SizeMix;
import dev.jxdp.nic.port.pcap.PcapSink;
import dev.jxdp.nic.testing.Cmd;
import dev.jxdp.nic.testing.Frames;
import dev.jxdp.nic.testing.Processors;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** UDP wires over loopback: a plain datagram socket as the far end, and two datapaths cabled together. */
@Timeout(120)
class UdpWirePortTest {
    private static final InetSocketAddress ANY_LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    @TempDir
    Path tmp;

    @Test
    void eachDatagramIsOneFrameBothWays() throws Exception {
        List<byte[]> received = new CopyOnWriteArrayList<>();
        UdpWirePort port = new UdpWirePort("wire", PortConfig.of(2), ANY_LOOPBACK, null);
        FrameProcessor echo = (f, w) -> {
            received.add(f.toByteArray());
            return w.port(f.ingressIfindex()).transmit(); // back down the wire, to the last sender
        };
        try (Datapath dp = Datapath.builder().port(port).processor(echo).build(); DatagramSocket peer = new DatagramSocket(ANY_LOOPBACK)) {
            dp.start();
            peer.setSoTimeout(5000);
            List<byte[]> frames = List.of(Frames.arp(), Frames.ipv4("10.0.0.1", "10.0.0.2", Frames.UDP, 1, 2, 0), new byte[1514]);
            for (byte[] frame : frames) {
                peer.send(new DatagramPacket(frame, frame.length, port.localAddress()));
            }
            for (byte[] frame : frames) {
                DatagramPacket back = new DatagramPacket(new byte[65536], 65536);
                peer.receive(back);
                assertArrayEquals(frame, Arrays.copyOf(back.getData(), back.getLength()));
            }
            assertEquals(3, received.size());
            for (int i = 0; i < 3; i++) {
                assertArrayEquals(frames.get(i), received.get(i));
            }
            assertEquals(3, port.rxQueue(0).packets.get());
            assertEquals(3, port.txQueue(0).packets.get());
        }
    }

    @Test
    void aDatagramLongerThanAFrameIsCountedNotCut() throws Exception {
        UdpWirePort port = new UdpWirePort("wire", PortConfig.of(2).withLayout(new dev.jxdp.nic.frame.FrameLayout(256, 1514, 320)),
                ANY_LOOPBACK, null);
        try (Datapath dp = Datapath.builder().port(port).processor(Processors.drop()).build(); DatagramSocket peer = new DatagramSocket(ANY_LOOPBACK)) {
            dp.start();
            peer.send(new DatagramPacket(new byte[1515], 1515, port.localAddress()));
            peer.send(new DatagramPacket(new byte[1514], 1514, port.localAddress()));
            for (int i = 0; i < 200 && port.rxQueue(0).packets.get() < 1; i++) {
                Thread.sleep(10);
            }
            assertEquals(1, port.rxErrors.get());
            assertEquals(1, port.rxQueue(0).packets.get());
        }
    }

    @Test
    void twoJxdpDatapathsCabledByUdpCarryGeneratedTrafficIntact() throws Exception {
        GeneratorPort.Options traffic = GeneratorPort.Options.defaults().withMix(new SizeMix.Imix()).withFlows(8).withCount(300)
                .withPps(3000).withSeed(7).withLossless(true);
        // far end: a UDP wire port that learns its peer, writing what arrives to a pcap file
        Path arrived = tmp.resolve("arrived.pcap");
        StringBuilder counters = new StringBuilder();
        UdpWirePort far = new UdpWirePort("far", PortConfig.of(2), ANY_LOOPBACK, null);
        PcapSink sink = new PcapSink("sink", PortConfig.of(3), arrived);
        try (Datapath b = Datapath.builder().port(far).port(sink).processor(Processors.forwardTo(sink)).build()) {
            b.start();
            // near end: a generator forwarded down the wire to the far end's address
            GeneratorPort gen = new GeneratorPort("gen", PortConfig.of(2), traffic);
            UdpWirePort near = new UdpWirePort("near", PortConfig.of(3), ANY_LOOPBACK, far.localAddress());
            try (Datapath a = Datapath.builder().port(gen).port(near).processor(Processors.forwardTo(near)).build()) {
                a.start();
                assertTrue(gen.awaitFinished(60, TimeUnit.SECONDS));
            }
            counters.append("near: tx ").append(near.txQueue(0).packets).append(", tx dropped ").append(near.txQueue(0).dropped)
                    .append(", tx errors ").append(near.txQueue(0).errors).append("; generator missed ").append(gen.rxQueue(0).missed);
            for (int i = 0; i < 500 && sink.txQueue(0).packets.get() < 300; i++) {
                Thread.sleep(10);
            }
            counters.append("; far: rx ").append(far.rxQueue(0).packets).append(", missed ").append(far.rxQueue(0).missed)
                    .append(", errors ").append(far.rxErrors).append(", strangers ").append(far.strangers)
                    .append("; sink: tx ").append(sink.txQueue(0).packets).append(", dropped ").append(sink.txQueue(0).dropped);
        }
        // the same generator straight into a file: the bytes must be the same (timestamps aside)
        Path direct = tmp.resolve("direct.pcap");
        GeneratorPort gen = new GeneratorPort("gen", PortConfig.of(2), traffic.withPps(0));
        PcapSink file = new PcapSink("file", PortConfig.of(3), direct);
        try (Datapath d = Datapath.builder().port(gen).port(file).processor(Processors.forwardTo(file)).build()) {
            d.start();
            assertTrue(gen.awaitFinished(60, TimeUnit.SECONDS));
        }
        String expected = Cmd.run("tcpdump", "-r", direct.toString(), "-t", "-xx", "-n").orFail().out();
        String got = Cmd.run("tcpdump", "-r", arrived.toString(), "-t", "-xx", "-n").orFail().out();
        assertEquals(expected, got, counters::toString);
    }

    /** Addresses as ss prints them: numeric, IPv6 in RFC 5952's short form in brackets, no leading '/'. */
    @Test
    void describesItsAddressesAsSsDoes() throws Exception {
        try (UdpWirePort any6 = new UdpWirePort("wire", PortConfig.of(2), new InetSocketAddress(InetAddress.getByName("0:0:0:0:0:0:0:0"), 47001),
                        new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 47002));
                // a peer named by hostname is shown by the address it resolved to, not by name
                UdpWirePort named = new UdpWirePort("wire", PortConfig.of(2), new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 47003),
                        new InetSocketAddress(InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1}), 47004));
                UdpWirePort v6 = new UdpWirePort("wire", PortConfig.of(2), new InetSocketAddress(InetAddress.getByName("2001:db8:0:0:0:0:0:1"), 9),
                        new InetSocketAddress(InetAddress.getByName("::1"), 10))) {
            assertEquals("UDP wire [::]:47001 <-> 127.0.0.1:47002", any6.describe());
            assertEquals("UDP wire 0.0.0.0:47003 <-> 127.0.0.1:47004", named.describe());
            assertEquals("UDP wire [2001:db8::1]:9 <-> [::1]:10", v6.describe());
        }
        // once listening, the port the kernel picked
        UdpWirePort bound = new UdpWirePort("wire", PortConfig.of(2), ANY_LOOPBACK, null);
        try (Datapath dp = Datapath.builder().port(bound).processor(Processors.drop()).build()) {
            dp.start();
            assertEquals("UDP wire 127.0.0.1:" + bound.localAddress().getPort() + " <-> last sender", bound.describe());
        }
    }

    @Test
    void aPortWithAFixedPeerIgnoresOtherSenders() throws Exception {
        try (DatagramSocket peer = new DatagramSocket(ANY_LOOPBACK); DatagramSocket stranger = new DatagramSocket(ANY_LOOPBACK)) {
            UdpWirePort port = new UdpWirePort("wire", PortConfig.of(2), ANY_LOOPBACK, (InetSocketAddress) peer.getLocalSocketAddress());
            try (Datapath dp = Datapath.builder().port(port).processor((f, w) -> Destination.Verdict.DROP).build()) {
                dp.start();
                byte[] frame = Frames.arp();
                stranger.send(new DatagramPacket(frame, frame.length, port.localAddress()));
                peer.send(new DatagramPacket(frame, frame.length, port.localAddress()));
                for (int i = 0; i < 200 && port.rxQueue(0).packets.get() < 1; i++) {
                    Thread.sleep(10);
                }
                assertEquals(1, port.rxQueue(0).packets.get());
                assertEquals(1, port.strangers.get());
            }
        }
    }
}
