package dev.jxdp.nic.port.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jxdp.nic.PortConfig;
import dev.jxdp.nic.testing.Cmd;
import dev.jxdp.nic.testing.Netns;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** A packet port takes its interface's MTU, as the kernel reports it, so that XDP redirects to it are held to the real one. */
class PacketPortMtuTest {
    @Test
    void theInterfacesMtuIsTheKernels() {
        Netns.assumeAvailable();
        String a = Netns.uniqueDevice("jxpm");
        Cmd.run("ip", "link", "add", a, "mtu", "4000", "type", "veth", "peer", "name", a + "p").orFail();
        try {
            assertEquals(4000, PacketPort.interfaceMtu(a, 1500));
            Cmd.run("ip", "link", "set", a, "mtu", "9000").orFail();
            assertEquals(9000, PacketPort.interfaceMtu(a, 1500));
        } finally {
            Cmd.run("ip", "link", "del", a);
        }
        assertEquals(1500, PacketPort.interfaceMtu(a, 1500), "no such interface: the fallback");
    }

    /** An open port reads its interface's MTU as it is now (what the switch's MTU watch asks); nothing before it is open. */
    @Test
    void anOpenPortReadsItsInterfacesMtuNow() throws Exception {
        Netns.assumeAvailable();
        String a = Netns.uniqueDevice("jxpn");
        Cmd.run("ip", "link", "add", a, "mtu", "4000", "type", "veth", "peer", "name", a + "p").orFail();
        PacketPort port = new PacketPort("p", PortConfig.of(2), a);
        try {
            assertEquals(OptionalInt.empty(), port.linkMtu());
            port.start();
            assertEquals(OptionalInt.of(4000), port.linkMtu());
            Cmd.run("ip", "link", "set", a, "mtu", "9000").orFail();
            assertEquals(OptionalInt.of(9000), port.linkMtu());
        } finally {
            port.close();
            Cmd.run("ip", "link", "del", a);
        }
        assertEquals(OptionalInt.empty(), port.linkMtu(), "closed");
    }
}
