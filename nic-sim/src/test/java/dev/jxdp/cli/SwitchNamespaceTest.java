package dev.jxdp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jxdp.nic.PortState;
import dev.jxdp.nic.testing.Cmd;
import dev.jxdp.nic.testing.Netns;
import dev.jxdp.nic.testing.RunDirProperty;
import dev.jxdp.obj.LoadOptions;
import dev.jxdp.obj.ObjectLoader;
import dev.jxdp.switching.AttachSpec;
import dev.jxdp.switching.PortSpec;
import dev.jxdp.switching.Switch;
import dev.jxdp.switching.SwitchConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jxdp switch} between real taps in network namespaces the tests create and remove: the
 * kernel's ping, curl and an HTTP server on either side, the programs of programs/ in between, the
 * maps and counters read and written through the control endpoint with the CLI. The switches run in
 * this JVM, so that Netty's leak detector (PARANOID in this module's tests) sees every buffer they
 * used; one test runs the command as its own process to stop it with SIGTERM.
 */
@Timeout(240)
class SwitchNamespaceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path runDir;
    @RegisterExtension
    final RunDirProperty runDirProperty = new RunDirProperty(() -> runDir);

    private static Switch start(String name, List<String> ports, List<String> xdp) throws IOException {
        return start(name, ports, xdp, List.of(), null, null);
    }

    private static Switch start(String name, List<String> ports, List<String> xdp, List<String> tcIngress, String host, String hostEgress)
            throws IOException {
        List<PortSpec> ps = new ArrayList<>();
        for (int i = 0; i < ports.size(); i++) {
            ps.add(PortSpec.parse(ports.get(i), i, false));
        }
        List<AttachSpec> attach = new ArrayList<>();
        for (String x : xdp) {
            attach.add(AttachSpec.xdp(x));
        }
        for (String x : tcIngress) {
            attach.add(AttachSpec.tcIngress(x));
        }
        PortSpec h = host == null ? null : PortSpec.parse(host, 0, true);
        return Switch.start(new SwitchConfig(name, ps, h, hostEgress, attach, 1, 0), f -> ObjectLoader.load(f, LoadOptions.defaults()));
    }

    private static String obj(String name) {
        return Cli.object(name);
    }

    private static String mac(Netns ns, String device) {
        return ns.exec("cat", "/sys/class/net/" + device + "/address").orFail().out().strip();
    }

    private static JsonNode json(Cli c) throws IOException {
        assertEquals(0, c.status(), c.err());
        return JSON.readTree(c.out());
    }

    private static long sum(JsonNode counts) {
        long n = 0;
        for (JsonNode c : counts) {
            n += c.asLong();
        }
        return n;
    }

    private static long verdict(JsonNode port, String hook, String verdict) {
        for (JsonNode h : port.get("hooks")) {
            if (h.get("hook").asText().equals(hook)) {
                JsonNode v = h.get("verdicts").get(verdict);
                return v == null ? 0 : v.asLong();
            }
        }
        return 0;
    }

    @Test
    void pingCrossesTheLearningSwitchWhileADeletedPortIsDown() throws Exception {
        Netns.assumeTaps();
        String a = Netns.uniqueDevice("swa");
        String b = Netns.uniqueDevice("swb");
        String c = Netns.uniqueDevice("swc");
        String l2 = obj("xdp_l2_switch");
        try (Netns nsA = Netns.create("swns"); Netns nsB = Netns.create("swns");
                Switch sw = start("swl2", List.of("tap:" + a, "tap:" + b, "tap:" + c), List.of(a + "=" + l2, b + "=" + l2, c + "=" + l2))) {
            SwitchSetup.devmap("swl2", 2, 3, 4);
            // a port deleted while running goes down; the others keep switching
            Cmd.run("ip", "link", "del", c).orFail();
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (sw.ports().get(c).state() != PortState.DOWN && System.nanoTime() < until) {
                Thread.sleep(20);
            }
            assertEquals(PortState.DOWN, sw.ports().get(c).state());
            SwitchSetup.configure(nsA, a, "10.77.0.1/24");
            SwitchSetup.configure(nsB, b, "10.77.0.2/24");

            Cmd.Result ping = nsA.exec("ping", "-c", "3", "-i", "0.2", "-W", "2", "10.77.0.2");
            assertEquals(0, ping.status(), ping.out() + ping.err());
            assertTrue(ping.out().contains("3 packets transmitted, 3 received"), ping.out());

            // the MAC table learned each side's address on its port (the value's BTF: port, pad, last_seen_ns)
            JsonNode fdb = json(Cli.run("-j", "map", "dump", "--instance", "swl2", "fdb"));
            List<String> learned = new ArrayList<>();
            for (JsonNode e : fdb) {
                StringBuilder m = new StringBuilder();
                for (JsonNode x : e.get("formatted").get("key").get("addr")) {
                    m.append(m.isEmpty() ? "" : ":").append(HexFormat.of().toHexDigits((byte) x.asInt()));
                }
                learned.add(m + "@" + e.get("formatted").get("value").get("port").asInt());
            }
            assertTrue(learned.contains(mac(nsA, a) + "@2"), learned.toString());
            assertTrue(learned.contains(mac(nsB, b) + "@3"), learned.toString());

            JsonNode stats = json(Cli.run("-j", "stats", "--instance", "swl2"));
            assertEquals("DOWN", SwitchSetup.port(stats, c).get("state").asText());
            assertEquals("tap " + c + " was deleted", SwitchSetup.port(stats, c).get("down_reason").asText());
            // 3 requests one way, 3 replies the other, each redirected (plus ARP and whatever IPv6 sent)
            assertTrue(verdict(SwitchSetup.port(stats, a), "XDP", "XDP_REDIRECT") >= 3, stats.toString());
            assertTrue(verdict(SwitchSetup.port(stats, b), "XDP", "XDP_REDIRECT") >= 3, stats.toString());
            assertTrue(SwitchSetup.port(stats, b).get("tx").get(0).get("packets").asLong() >= 3, stats.toString());

            Cli metrics = Cli.run("stats", "--metrics", "--instance", "swl2");
            assertEquals(0, metrics.status(), metrics.err());
            assertTrue(metrics.out().contains("jxdp_port_up{port=\"" + a + "\",ifindex=\"2\"} 1\n"), metrics.out());
            assertTrue(metrics.out().contains("jxdp_port_up{port=\"" + c + "\",ifindex=\"4\"} 0\n"), metrics.out());
            assertTrue(metrics.out().contains("# TYPE jxdp_latency_seconds summary\n"), metrics.out());
        }
        assertFalse(Files.exists(runDir.resolve("swl2.json")), "the run file goes with the switch");
        assertNotEquals(0, Cmd.run("ip", "link", "show", a).status(), "the taps go with the switch");
    }

    @Test
    void theFirewallInFrontOfTheSwitchStopsPingButNotHttp() throws Exception {
        Netns.assumeTaps();
        assumeTrue(Cmd.available("curl"), "curl is not installed");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "no /usr/bin/python3 for the HTTP server");
        String a = Netns.uniqueDevice("swa");
        String b = Netns.uniqueDevice("swb");
        String l2 = obj("xdp_l2_switch");
        String fw = obj("xdp_icmp_firewall");
        Process server = null;
        try (Netns nsA = Netns.create("swns"); Netns nsB = Netns.create("swns");
                Switch sw = start("swfw", List.of("tap:" + a, "tap:" + b),
                        List.of(a + "=" + fw, a + "=" + l2, b + "=" + fw, b + "=" + l2))) {
            SwitchSetup.devmap("swfw", 2, 3);
            SwitchSetup.configure(nsA, a, "10.77.1.1/24");
            SwitchSetup.configure(nsB, b, "10.77.1.2/24");
            Path www = Files.createDirectory(runDir.resolve("www"));
            Files.writeString(www.resolve("index.html"), "switched\n");
            server = new ProcessBuilder("ip", "netns", "exec", nsB.name(), "/usr/bin/python3", "-m", "http.server", "8080", "--bind",
                    "10.77.1.2", "--directory", www.toString()).redirectErrorStream(true).redirectOutput(runDir.resolve("http.log").toFile())
                    .start();
            Cmd.Result curl = null;
            for (int i = 0; i < 50; i++) { // until the server listens
                curl = nsA.exec("curl", "-s", "-m", "5", "http://10.77.1.2:8080/index.html");
                if (curl.status() == 0) {
                    break;
                }
                Thread.sleep(200);
            }
            assertEquals(0, curl.status(), curl.err() + Files.readString(runDir.resolve("http.log")));
            assertEquals("switched\n", curl.out());

            Cmd.Result ping = nsA.exec("ping", "-c", "3", "-i", "0.2", "-W", "1", "10.77.1.2");
            assertNotEquals(0, ping.status(), ping.out());
            assertTrue(ping.out().contains("3 packets transmitted, 0 received"), ping.out());

            // the firewall's counter 0 (IPv4 ICMP dropped): ping's 3 echo requests, dropped on the first port
            JsonNode dropped = json(Cli.run("-j", "map", "lookup", "--instance", "swfw", "icmp_fw_stats", "key", "0", "0", "0", "0"));
            assertEquals(3, dropped.get("formatted").get("value").asLong(), dropped.toString());
            JsonNode stats = json(Cli.run("-j", "stats", "--instance", "swfw"));
            // and the port counted them as XDP_DROP (with any ICMPv6 the namespace sent by itself)
            assertTrue(verdict(SwitchSetup.port(stats, a), "XDP", "XDP_DROP") >= 3, stats.toString());
        } finally {
            if (server != null) {
                server.destroy();
                server.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void theIcmpEchoResponderAnswersPing() throws Exception {
        Netns.assumeTaps();
        String e = Netns.uniqueDevice("swe");
        try (Netns ns = Netns.create("swns");
                Switch sw = start("swecho", List.of("tap:" + e), List.of(e + "=" + obj("xdp_icmp_echo")))) {
            SwitchSetup.configure(ns, e, "10.78.0.1/24");
            // the responder answers ICMP only: its address is resolved statically, as on a link without ARP
            ns.exec("ip", "neigh", "add", "10.78.0.2", "lladdr", "02:00:00:00:00:02", "dev", e, "nud", "permanent").orFail();
            Cmd.Result ping = ns.exec("ping", "-c", "3", "-i", "0.2", "-W", "2", "10.78.0.2");
            assertEquals(0, ping.status(), ping.out() + ping.err());
            assertTrue(ping.out().contains("3 packets transmitted, 3 received"), ping.out());
            JsonNode stats = json(Cli.run("-j", "stats", "--instance", "swecho"));
            assertEquals(3, verdict(SwitchSetup.port(stats, e), "XDP", "XDP_TX"), stats.toString());
        }
    }

    @Test
    void framesPassedByXdpAndTcReachTheHostTapAndItsRepliesGoBack() throws Exception {
        Netns.assumeTaps();
        String p = Netns.uniqueDevice("swp");
        String h = Netns.uniqueDevice("swh");
        String meta = obj("xdp_tc_meta_handoff");
        try (Netns wire = Netns.create("swns"); Netns host = Netns.create("swns");
                Switch sw = start("swhost", List.of("tap:" + p), List.of(p + "=" + meta + ":xdp_store_meta"),
                        List.of(p + "=" + meta + ":tc_meta_to_mark"), "tap:" + h, p)) {
            SwitchSetup.configure(wire, p, "10.79.0.1/24");
            SwitchSetup.configure(host, h, "10.79.0.2/24");
            Cmd.Result ping = wire.exec("ping", "-c", "3", "-i", "0.2", "-W", "2", "10.79.0.2");
            assertEquals(0, ping.status(), ping.out() + ping.err());
            assertTrue(ping.out().contains("3 packets transmitted, 3 received"), ping.out());
            JsonNode stats = json(Cli.run("-j", "stats", "--instance", "swhost"));
            // each request (and the ARP before them) went XDP_PASS -> tc ingress OK -> the host tap
            assertTrue(verdict(SwitchSetup.port(stats, p), "XDP", "XDP_PASS") >= 3, stats.toString());
            assertTrue(verdict(SwitchSetup.port(stats, p), "TC_INGRESS", "TC_ACT_OK") >= 3, stats.toString());
            assertTrue(SwitchSetup.port(stats, h).get("host").asBoolean(), stats.toString());
            assertTrue(SwitchSetup.port(stats, h).get("tx").get(0).get("packets").asLong() >= 3, stats.toString());
            assertTrue(SwitchSetup.port(stats, p).get("tx").get(0).get("packets").asLong() >= 3, "the replies left by the wire port: " + stats);
            // each port accounts for the frames it received: the wire port's went to the host, the host's
            // (the replies) out of the wire port; none is counted twice
            JsonNode wireFates = SwitchSetup.port(stats, p).get("fates");
            JsonNode hostFates = SwitchSetup.port(stats, h).get("fates");
            assertEquals(SwitchSetup.port(stats, p).get("rx").get(0).get("packets").asLong(), sum(wireFates), stats.toString());
            assertEquals(SwitchSetup.port(stats, h).get("rx").get(0).get("packets").asLong(), sum(hostFates), stats.toString());
            assertTrue(hostFates.path("transmitted").asLong() >= 3, stats.toString());
            assertEquals(0, wireFates.path("transmitted").asLong(), "the wire port transmitted only what the host sent: " + stats);
        }
    }

    @Test
    void aMarkThatTcIngressSetsReachesTheKernelBehindAVethHostPort() throws Exception {
        Netns.assumeTaps();
        assumeTrue(Cmd.available("nft"), "nft (nftables) is not installed");
        String p = Netns.uniqueDevice("swp");
        String hostSide = Netns.uniqueDevice("swv");
        String stackSide = hostSide + "k";
        String meta = obj("xdp_tc_meta_handoff");
        String table = "sw_mark_" + ProcessHandle.current().pid();
        // the host port is one end of a veth in this namespace; on the other end, the kernel's netdev ingress hook counts by mark
        Cmd.run("ip", "link", "add", hostSide, "type", "veth", "peer", "name", stackSide).orFail();
        try {
            Cmd.run("ip", "link", "set", hostSide, "up").orFail();
            Cmd.run("ip", "link", "set", stackSide, "up").orFail();
            Cmd.run("nft", "add", "table", "netdev", table).orFail();
            Cmd.run("nft", "add", "chain", "netdev", table, "in", "{ type filter hook ingress device " + stackSide + " priority 0 ; }").orFail();
            // xdp_store_meta's mark for IPv4: DSCP << 8 | is-TCP; ping -Q 0x20 is DSCP 8, ICMP: 0x800
            Cmd.run("nft", "add", "rule", "netdev", table, "in", "meta", "protocol", "ip", "meta", "mark", "0x800", "counter").orFail();
            Cmd.run("nft", "add", "rule", "netdev", table, "in", "meta", "protocol", "ip", "meta", "mark", "0", "counter").orFail();
            try (Netns wire = Netns.create("swns");
                    Switch sw = start("swmark", List.of("tap:" + p), List.of(p + "=" + meta + ":xdp_store_meta"),
                            List.of(p + "=" + meta + ":tc_meta_to_mark"), "packet:" + hostSide, null)) {
                SwitchSetup.configure(wire, p, "10.80.0.1/24");
                wire.exec("ip", "neigh", "add", "10.80.0.2", "lladdr", "02:00:00:00:00:02", "dev", p, "nud", "permanent").orFail();
                wire.exec("ping", "-c", "3", "-i", "0.2", "-W", "1", "-Q", "0x20", "10.80.0.2"); // nobody answers: only the mark counts
                JsonNode stats = json(Cli.run("-j", "stats", "--instance", "swmark"));
                assertTrue(verdict(SwitchSetup.port(stats, p), "TC_INGRESS", "TC_ACT_OK") >= 3, stats.toString());
                String counted = Cmd.run("nft", "list", "chain", "netdev", table, "in").orFail().out();
                // ping's 56 data bytes + 8 of ICMP + 20 of IPv4 = 84: at ingress the kernel has pulled the Ethernet header
                assertTrue(counted.contains("meta mark 0x00000800 counter packets 3 bytes 252"),
                        "the 3 echo requests (84 bytes past Ethernet) arrive marked 0x800:\n" + counted);
                assertTrue(counted.contains("meta mark 0x00000000 counter packets 0 bytes 0"), "and none unmarked:\n" + counted);
            }
        } finally {
            Cmd.run("ip", "link", "del", hostSide);
            Cmd.run("nft", "delete", "table", "netdev", table);
        }
    }

    private static int freeUdpPort() throws IOException {
        try (java.net.DatagramSocket s = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void twoSwitchesCabledByAUdpWireCarryPingAndJumboFramesAndANameIsTakenOnce() throws Exception {
        Netns.assumeTaps();
        String a = Netns.uniqueDevice("swa");
        String b = Netns.uniqueDevice("swb");
        int portA = freeUdpPort();
        int portB = freeUdpPort();
        String l2 = obj("xdp_l2_switch");
        try (Netns nsA = Netns.create("swns"); Netns nsB = Netns.create("swns");
                Switch left = start("swleft", List.of("tap:" + a, "udp:127.0.0.1:" + portB + ",listen=127.0.0.1:" + portA + ",name=wire,mtu=8000"),
                        List.of(a + "=" + l2, "wire=" + l2));
                Switch right = start("swright", List.of("tap:" + b, "udp:127.0.0.1:" + portA + ",listen=127.0.0.1:" + portB + ",name=wire,mtu=8000"),
                        List.of(b + "=" + l2, "wire=" + l2))) {
            SwitchSetup.devmap("swleft", 2, 3);
            SwitchSetup.devmap("swright", 2, 3);
            SwitchSetup.configure(nsA, a, "10.77.2.1/24");
            SwitchSetup.configure(nsB, b, "10.77.2.2/24");
            Cmd.Result ping = nsA.exec("ping", "-c", "3", "-i", "0.2", "-W", "2", "10.77.2.2");
            assertEquals(0, ping.status(), ping.out() + ping.err());
            assertTrue(ping.out().contains("3 packets transmitted, 3 received"), ping.out());
            JsonNode stats = json(Cli.run("-j", "stats", "--instance", "swleft"));
            assertTrue(SwitchSetup.port(stats, "wire").get("tx").get(0).get("packets").asLong() >= 3, stats.toString());
            assertTrue(verdict(SwitchSetup.port(stats, "wire"), "XDP", "XDP_REDIRECT") >= 3, "the replies came in by the wire: " + stats);
            assertEquals(8000, SwitchSetup.port(stats, "wire").get("mtu").asInt());

            // jumbo frames over the wire (mtu=8000 at both ends), once both taps take them (the switches follow ip link)
            nsA.exec("ip", "link", "set", a, "mtu", "8000").orFail();
            nsB.exec("ip", "link", "set", b, "mtu", "8000").orFail();
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while ((left.stats().ports().getFirst().mtu() != 8000 || right.stats().ports().getFirst().mtu() != 8000) && System.nanoTime() < until) {
                Thread.sleep(50);
            }
            Cmd.Result jumbo = nsA.exec("ping", "-M", "do", "-s", "7000", "-c", "3", "-i", "0.2", "-W", "2", "10.77.2.2");
            assertEquals(0, jumbo.status(), jumbo.out() + jumbo.err());
            assertTrue(jumbo.out().contains("3 packets transmitted, 3 received"), jumbo.out());

            IllegalArgumentException taken = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> start("swleft", List.of("tap:" + Netns.uniqueDevice("swt")), List.of()));
            assertEquals("jxdp instance 'swleft' is running already (process " + ProcessHandle.current().pid() + "): choose another --name",
                    taken.getMessage());
        }
    }
}
