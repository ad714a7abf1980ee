package dev.jxdp.nic.port.tap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jxdp.nic.Datapath;
import dev.jxdp.nic.Destination;
import dev.jxdp.nic.FrameProcessor;
import dev.jxdp.nic.PortConfig;
import dev.jxdp.nic.PortState;
import dev.jxdp.nic.WorkerContext;
import dev.jxdp.nic.frame.Frame;
import dev.jxdp.nic.frame.FrameLayout;
import dev.jxdp.nic.port.gen.GeneratorPort;
import dev.jxdp.nic.testing.Cmd;
import dev.jxdp.nic.testing.Netns;
import dev.jxdp.nic.testing.Responder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Real taps, created by jxdp and moved into network namespaces the tests make: the kernel's ping and
 * ARP talk to a responder running as a frame processor behind the tap.
 */
@Timeout(120)
class TapPortTest {
    /** 10.211.0.1 (the namespace) talks to 10.211.0.2 (the responder behind the tap). */
    private static final int RESPONDER_IP = 10 << 24 | 211 << 16 | 2;
    private static final byte[] RESPONDER_MAC = {2, 0, 0, 0, 0x21, 1};

    private static void configure(Netns ns, String device, String address) {
        ns.adopt(device);
        ns.exec("ip", "addr", "add", address, "dev", device).orFail();
        ns.exec("ip", "link", "set", device, "up").orFail();
    }

    @Test
    void theKernelPingsAResponderBehindATapJxdpCreated() throws IOException {
        Netns.assumeTaps();
        String device = Netns.uniqueDevice("jxt");
        TapPort tap = new TapPort("tap", PortConfig.of(2), device);
        Responder responder = new Responder(RESPONDER_IP, RESPONDER_MAC);
        try (Netns ns = Netns.create(); Datapath dp = Datapath.builder().port(tap).processor(responder).build()) {
            dp.start();
            assertEquals(device, tap.device());
            assertTrue(Cmd.run("ip", "link", "show", device).status() == 0, "the tap exists in our namespace");
            assertFalse(tap.persistent(), "jxdp made it");
            configure(ns, device, "10.211.0.1/24");
            Cmd.Result ping = ns.exec("ping", "-c", "3", "-i", "0.2", "-W", "2", "10.211.0.2");
            assertEquals(0, ping.status(), ping.out() + ping.err());
            assertTrue(ping.out().contains("3 packets transmitted, 3 received"), ping.out());
            // the namespace resolved us by ARP, then 3 echo requests came in and 3 replies went out
            assertEquals(1, responder.arpReplies.get());
            assertEquals(3, responder.echoReplies.get());
            assertTrue(tap.rxQueue(0).packets.get() >= 4);
            assertEquals(4, tap.txQueue(0).packets.get());
            assertEquals(0, tap.txQueue(0).errors.get());
        }
        assertNotEquals(0, Cmd.run("ip", "link", "show", device).status(), "closing the port removed the tap");
    }

    /**
     * A persistent tap made beforehand ({@code ip tuntap add}, as for a switch run by a user the tap
     * belongs to) is attached to, not created: TUNSETIFF attaches to it, and it outlives the port.
     */
    @Test
    void aPersistentTapIsAttachedToAndLeftInPlace() throws Exception {
        Netns.assumeTaps();
        String device = Netns.uniqueDevice("jxe");
        Cmd.run("ip", "tuntap", "add", "dev", device, "mode", "tap").orFail();
        try {
            TapPort tap = new TapPort("tap", PortConfig.of(2), device);
            try (Datapath dp = Datapath.builder().port(tap).processor((frame, worker) -> Destination.Verdict.DROP).build()) {
                dp.start();
                assertTrue(tap.persistent());
                assertEquals(device, tap.device());
            }
            assertEquals(0, Cmd.run("ip", "link", "show", device).status(), "the persistent tap is still there");
        } finally {
            Cmd.run("ip", "tuntap", "del", "dev", device, "mode", "tap");
        }
    }

    /** A port's MTU is its tap's: set when jxdp creates the device, so the kernel sends frames that large. */
    @Test
    void aTapGetsThePortsMtu() throws Exception {
        Netns.assumeTaps();
        String device = Netns.uniqueDevice("jxu");
        TapPort tap = new TapPort("tap", PortConfig.of(2).withLayout(FrameLayout.OFFLOADS).withMtu(9000), device, true);
        try (Datapath dp = Datapath.builder().port(tap).processor((frame, worker) -> Destination.Verdict.DROP).build()) {
            dp.start();
            assertEquals("9000", Files.readString(Path.of("/sys/class/net/" + device + "/mtu")).strip());
        }
    }

    /**
     * MTU 9000, the usual jumbo MTU, on a tap without offloads (default buffers): a ping of the whole
     * MTU (a 9000-byte IP packet, a 9014-byte frame) is received, answered and written back whole.
     */
    @Test
    void aTapOfMtu9000CarriesFramesOfTheWholeMtu() throws IOException {
        Netns.assumeTaps();
        String device = Netns.uniqueDevice("jxj");
        TapPort tap = new TapPort("tap", PortConfig.of(2).withMtu(9000), device);
        Responder responder = new Responder(RESPONDER_IP, RESPONDER_MAC);
        try (Netns ns = Netns.create(); Datapath dp = Datapath.builder().port(tap).processor(responder).build()) {
            dp.start();
            configure(ns, device, "10.211.0.1/24");
            Cmd.Result ping = ns.exec("ping", "-M", "do", "-s", "8972", "-c", "2", "-i", "0.2", "-W", "2", "10.211.0.2");
            assertEquals(0, ping.status(), ping.out() + ping.err());
            assertTrue(ping.out().contains("8980 bytes from 10.211.0.2"), ping.out());
            assertEquals(2, responder.echoReplies.get());
            assertEquals(0, tap.rxErrors.get(), "no frame was too long for its buffer");
        }
    }

    @Test
    void aDeletedTapTakesOnlyItsPortDown() throws Exception {
        Netns.assumeAvailable();
        String a = Netns.uniqueDevice("jxa");
        String b = Netns.uniqueDevice("jxb");
        TapPort tapA = new TapPort("a", PortConfig.of(2), a);
        TapPort tapB = new TapPort("b", PortConfig.of(3), b);
        Responder responder = new Responder(RESPONDER_IP, RESPONDER_MAC);
        try (Netns nsA = Netns.create(); Netns nsB = Netns.create();
                Datapath dp = Datapath.builder().port(tapA).port(tapB).processor(responder).build()) {
            dp.start();
            configure(nsA, a, "10.211.0.1/24");
            configure(nsB, b, "10.211.0.1/24");
            assertEquals(0, nsA.exec("ping", "-c", "1", "-W", "2", "10.211.0.2").status());
            assertEquals(0, nsB.exec("ping", "-c", "1", "-W", "2", "10.211.0.2").status());

            nsA.exec("ip", "link", "del", a).orFail();
            for (int i = 0; i < 100 && tapA.state() == PortState.UP; i++) {
                Thread.sleep(20);
            }
            assertEquals(PortState.DOWN, tapA.state());
            assertEquals("tap " + a + " was deleted", tapA.downReason());

            Cmd.Result ping = nsB.exec("ping", "-c", "3", "-i", "0.2", "-W", "2", "10.211.0.2");
            assertEquals(0, ping.status(), "the other tap still switches: " + ping.out());
            assertEquals(PortState.UP, tapB.state());
        }
    }

    @Test
    void asTheHostPortATapDeliversToTheKernelAndTakesWhatTheKernelSends() throws Exception {
        Netns.assumeAvailable();
        assumeTrue(Cmd.available("tcpdump"), "tcpdump is not installed");
        String device = Netns.uniqueDevice("jxh");
        TapPort host = new TapPort("host", PortConfig.of(3), device);
        GeneratorPort gen = new GeneratorPort("gen", PortConfig.of(2), GeneratorPort.Options.defaults().withPps(200));
        AtomicLong fromKernel = new AtomicLong();
        FrameProcessor passAll = new FrameProcessor() {
            @Override
            public Destination receive(Frame frame, WorkerContext worker) {
                return Destination.Verdict.HOST;
            }

            @Override
            public Destination fromHost(Frame frame, WorkerContext worker) {
                fromKernel.incrementAndGet();
                return Destination.Verdict.DROP;
            }
        };
        try (Netns ns = Netns.create(); Datapath dp = Datapath.builder().port(gen).host(host).processor(passAll).build()) {
            dp.start();
            configure(ns, device, "10.211.0.1/24");
            // the generated frames reach the kernel's side of the tap
            Cmd.Result seen = ns.exec(20, "tcpdump", "-i", device, "-c", "5", "-n", "-l", "udp and src net 198.18.0.0/15");
            assertEquals(0, seen.status(), seen.err());
            assertEquals(5, seen.out().lines().filter(l -> l.contains("198.18.0.1.1024 > 198.19.0.1.9: UDP")).count(), seen.out());
            // and what the kernel sends out of the tap (ARP for a neighbour) comes to the processor from the host
            ns.exec("ping", "-c", "1", "-W", "1", "10.211.0.9");
            assertTrue(fromKernel.get() > 0);
        }
    }

    @Test
    void withoutCapNetAdminTheErrorSaysToRunAsRoot() throws Exception {
        Netns.assumeAvailable();
        assumeTrue(Cmd.available("setpriv"), "setpriv (util-linux) is not installed");
        // the same JVM's classpath, with CAP_NET_ADMIN taken out of the bounding set before exec
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        String device = Netns.uniqueDevice("jxn");
        Cmd.Result r = Cmd.run(60, List.of("setpriv", "--bounding-set", "-net_admin", java.toString(), "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), TapOpenChild.class.getName(), device));
        assertEquals("creating tap " + device + " needs root (CAP_NET_ADMIN): TUNSETIFF: Operation not permitted", r.out().strip(), r.err());
    }

    @Test
    void badNamesAreRefusedBeforeTheKernelIsAsked() {
        TapPort tap = new TapPort("t", PortConfig.of(2), "a-name-longer-than-15");
        IOException e = assertThrows(IOException.class, tap::start);
        assertEquals("tap name \"a-name-longer-than-15\" must be 1 to 15 characters (IFNAMSIZ)", e.getMessage());
        assertEquals(PortState.CLOSED, tap.state());
    }
}
