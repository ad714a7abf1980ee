package dev.jxdp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jxdp.nic.testing.Cmd;
import dev.jxdp.nic.testing.Netns;
import dev.jxdp.nic.testing.RunDirProperty;
import dev.jxdp.switching.Switch;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A running switch follows its taps' MTUs as users change them with {@code ip link set DEV mtu N},
 * in the namespaces the taps were moved to and under the names they were given there: XDP redirects
 * to a tap are held to its MTU as it is now (xdp_ok_fwd_dev reads dev->mtu per frame), so jumbo
 * frames cross once both taps take them and not before. The kernel's ping with DF set (-M do) is the
 * traffic; `jxdp stats` shows each port's MTU.
 */
@Timeout(120)
class SwitchMtuNamespaceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path runDir;
    @RegisterExtension
    final RunDirProperty runDirProperty = new RunDirProperty(() -> runDir);

    /** Port {@code name}'s MTU in `jxdp -j stats`, once it is {@code want} (the switch looks once a second), or what it is after 5 s. */
    private static int mtuOnceItIs(String instance, String name, int want) throws Exception {
        int mtu = -1;
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        do {
            Cli c = Cli.run("-j", "stats", "--instance", instance);
            assertEquals(0, c.status(), c.err());
            for (JsonNode p : JSON.readTree(c.out()).get("ports")) {
                if (p.get("name").asText().equals(name)) {
                    mtu = p.get("mtu").asInt();
                }
            }
            if (mtu == want) {
                return mtu;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < until);
        return mtu;
    }

    @Test
    void jumboFramesCrossOnceBothTapsTakeThem() throws Exception {
        Netns.assumeTaps();
        String a = Netns.uniqueDevice("mta");
        String b = Netns.uniqueDevice("mtb");
        String renamed = Netns.uniqueDevice("mtr");
        try (Netns nsA = Netns.create("mtns"); Netns nsB = Netns.create("mtns");
                Switch sw = SwitchSetup.start("swmtu", List.of("tap:" + a, "tap:" + b), Cli.object("xdp_l2_switch"), 1)) {
            SwitchSetup.devmap("swmtu", 2, 3);
            SwitchSetup.configure(nsA, a, "10.82.0.1/24");
            SwitchSetup.configure(nsB, b, "10.82.0.2/24");
            assertEquals(1500, mtuOnceItIs("swmtu", a, 1500));
            Cmd.Result small = nsA.exec("ping", "-c", "2", "-i", "0.2", "-W", "2", "10.82.0.2");
            assertEquals(0, small.status(), small.out() + small.err()); // ARP and the MAC table filled

            // A takes 9000, B still 1500: A's 8042-byte frames are refused at the redirect to B
            nsA.exec("ip", "link", "set", a, "mtu", "9000").orFail();
            assertEquals(9000, mtuOnceItIs("swmtu", a, 9000), "A's new MTU, seen in its namespace");
            Cmd.Result refused = nsA.exec("ping", "-M", "do", "-s", "8000", "-c", "2", "-i", "0.2", "-W", "1", "10.82.0.2");
            assertNotEquals(0, refused.status(), "B's MTU is 1500: " + refused.out());
            assertTrue(refused.out().contains("2 packets transmitted, 0 received"), refused.out());

            // B renamed in its namespace, then 9000: jxdp finds it under its new name
            nsB.exec("ip", "link", "set", b, "down").orFail();
            nsB.exec("ip", "link", "set", b, "name", renamed).orFail();
            nsB.exec("ip", "link", "set", renamed, "mtu", "9000", "up").orFail();
            assertEquals(9000, mtuOnceItIs("swmtu", b, 9000), "B's new MTU, under its new name");
            Cmd.Result jumbo = nsA.exec("ping", "-M", "do", "-s", "8000", "-c", "3", "-i", "0.2", "-W", "2", "10.82.0.2");
            assertEquals(0, jumbo.status(), jumbo.out() + jumbo.err());
            assertTrue(jumbo.out().contains("3 packets transmitted, 3 received"), jumbo.out());
            assertTrue(jumbo.out().contains("8008 bytes from 10.82.0.2"), jumbo.out());
        }
    }

    /**
     * A tap without offloads has buffers for 9018-byte frames: 9200 is held to 9000 (9018 less the
     * Ethernet header and a VLAN tag); MTU 9000, the usual jumbo MTU, is taken whole.
     */
    @Test
    void anMtuLargerThanTheBuffersIsHeldToThem() throws Exception {
        Netns.assumeTaps();
        String a = Netns.uniqueDevice("mtc");
        try (Netns ns = Netns.create("mtns"); Switch sw = SwitchSetup.start("swmtc", List.of("tap:" + a + ",offload=off"), Cli.object("xdp_pass"), 1)) {
            SwitchSetup.configure(ns, a, "10.83.0.1/24");
            ns.exec("ip", "link", "set", a, "mtu", "4000").orFail();
            assertEquals(4000, mtuOnceItIs("swmtc", a, 4000));
            ns.exec("ip", "link", "set", a, "mtu", "9200").orFail();
            assertEquals(9000, mtuOnceItIs("swmtc", a, 9000));
            ns.exec("ip", "link", "set", a, "mtu", "8000").orFail();
            assertEquals(8000, mtuOnceItIs("swmtc", a, 8000));
            ns.exec("ip", "link", "set", a, "mtu", "9000").orFail();
            assertEquals(9000, mtuOnceItIs("swmtc", a, 9000));
        }
    }
}
