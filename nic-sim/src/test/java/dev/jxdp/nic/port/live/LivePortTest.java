package dev.jxdp.nic.port.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jxdp.nic.Datapath;
import dev.jxdp.nic.PortConfig;
import dev.jxdp.nic.PortState;
import dev.jxdp.nic.testing.Cmd;
import dev.jxdp.nic.testing.Netns;
import dev.jxdp.nic.testing.Responder;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A live port on one end of a veth pair whose other end is in a namespace the test makes: the
 * namespace's ping is answered by a responder behind the port (captured and injected by libpcap).
 */
@Timeout(120)
class LivePortTest {
    private static final int RESPONDER_IP = 10 << 24 | 212 << 16 | 2;
    private static final byte[] RESPONDER_MAC = {2, 0, 0, 0, 0x22, 1};

    /** A veth pair: {@code ours} here (up, no address), its peer in {@code ns} as 10.212.0.1/24. */
    private static void cable(Netns ns, String ours, String theirs) {
        Cmd.run("ip", "link", "add", ours, "type", "veth", "peer", "name", theirs, "netns", ns.name()).orFail();
        Cmd.run("ip", "link", "set", ours, "up").orFail();
        ns.exec("ip", "addr", "add", "10.212.0.1/24", "dev", theirs).orFail();
        ns.exec("ip", "link", "set", theirs, "up").orFail();
    }

    @Test
    void aPingThroughAVethIsAnsweredBehindTheLivePort() throws Exception {
        Netns.assumeAvailable();
        String ours = Netns.uniqueDevice("jxv");
        try (Netns ns = Netns.create()) {
            cable(ns, ours, "peer0");
            try {
                LivePort port = new LivePort("live", PortConfig.of(2), ours);
                Responder responder = new Responder(RESPONDER_IP, RESPONDER_MAC);
                try (Datapath dp = Datapath.builder().port(port).processor(responder).build()) {
                    dp.start();
                    Cmd.Result ping = ns.exec("ping", "-c", "3", "-i", "0.2", "-W", "2", "10.212.0.2");
                    assertEquals(0, ping.status(), ping.out() + ping.err());
                    assertTrue(ping.out().contains("3 packets transmitted, 3 received"), ping.out());
                    assertEquals(3, responder.echoReplies.get());
                    assertEquals(4, port.txQueue(0).packets.get(), "an ARP reply and 3 echo replies injected");
                    // capturing inbound only: what the port sent never came back in as received
                    assertEquals(responder.arpReplies.get() + responder.echoReplies.get(), port.txQueue(0).packets.get());
                }
            } finally {
                Cmd.run("ip", "link", "del", ours);
            }
        }
    }

    @Test
    void aDeletedInterfaceTakesThePortDown() throws Exception {
        Netns.assumeAvailable();
        String ours = Netns.uniqueDevice("jxv");
        try (Netns ns = Netns.create()) {
            cable(ns, ours, "peer0");
            LivePort port = new LivePort("live", PortConfig.of(2), ours);
            try (Datapath dp = Datapath.builder().port(port).processor(new Responder(RESPONDER_IP, RESPONDER_MAC)).build()) {
                dp.start();
                Cmd.run("ip", "link", "del", ours).orFail();
                for (int i = 0; i < 250 && port.state() == PortState.UP; i++) {
                    Thread.sleep(20);
                }
                assertEquals(PortState.DOWN, port.state());
                assertTrue(port.downReason().startsWith("interface " + ours + " is gone: libpcap: "), port.downReason());
            }
        }
    }

    @Test
    void anInterfaceThatDoesNotExistIsNamed() {
        Netns.assumeAvailable();
        LivePort port = new LivePort("live", PortConfig.of(2), "jxnone0");
        IOException e = assertThrows(IOException.class, port::start);
        assertEquals("no interface jxnone0 (ip link show lists them)", e.getMessage());
    }
}
