package dev.jxdp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jxdp.kernel.KernelComparisons;
import dev.jxdp.nic.pipeline.Captures;
import dev.jxdp.nic.pipeline.KernelOracle;
import dev.jxdp.nic.testing.Netns;
import dev.jxdp.kernel.CpuPin;
import dev.jxdp.testing.Bpftool;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A router program (programs/src/xdp_fib_router.c: bpf_fib_lookup, TTL and MACs rewritten,
 * bpf_redirect) replayed with {@code --route}/{@code --neigh}, against the same object in the kernel
 * with the same table written with {@code ip route}/{@code ip neigh} in a namespace whose devices have
 * the replay's ifindexes (2 in, 3 out, with port 3's MAC), every frame's verdict and bytes compared.
 */
class FibRouterKernelTest {
    private static final String GATEWAY_MAC = "02:aa:00:00:00:01";
    private static final String PORT3_MAC = "02:00:00:00:00:03"; // PortConfig.of(3)'s locally administered address

    @TempDir
    Path tmp;

    @Test
    void replayRoutesEveryFrameAsTheKernelsFibDoes() throws Exception {
        Path capture = Cli.root().resolve("pcap-corpus/udp-dns.pcap");
        Path object = Cli.root().resolve("programs/bin/xdp_fib_router.o");
        List<byte[]> frames = Captures.frames(capture);
        String reason = Bpftool.unavailableReason();
        KernelComparisons.assume(reason == null, reason);
        Netns.assumeAvailable();

        Map<String, List<String>> kernel = new TreeMap<>();
        for (String f : List.of("aborted.pcap", "drop.pcap", "pass.pcap", "redirect-3.pcap", "tx.pcap")) {
            kernel.put(f, new ArrayList<>());
        }
        try (Netns ns = Netns.create("frt-")) {
            // the peer is made first: frb gets ifindex 2 (the replay's capture port), fra 3
            ns.exec("ip", "link", "add", "fra", "type", "veth", "peer", "name", "frb").orFail();
            assertEquals(2, ifindex(ns, "frb"));
            assertEquals(3, ifindex(ns, "fra"));
            ns.exec("ip", "link", "set", "fra", "address", PORT3_MAC).orFail();
            ns.exec("ip", "link", "set", "fra", "up").orFail();
            ns.exec("ip", "link", "set", "frb", "up").orFail();
            ns.exec("ip", "addr", "add", "10.0.0.1/24", "dev", "fra").orFail();
            ns.exec("ip", "route", "add", "default", "via", "10.0.0.254", "dev", "fra").orFail();
            ns.exec("ip", "neigh", "add", "10.0.0.254", "lladdr", GATEWAY_MAC, "dev", "fra", "nud", "permanent").orFail();
            ns.exec("sysctl", "-qw", "net.ipv4.conf.all.forwarding=1").orFail(); // the FIB helper wants a forwarding device
            try (CpuPin pinned = CpuPin.to(0); Bpftool bt = new Bpftool(object).inNetns(ns.name())) {
                for (byte[] f : frames) {
                    Bpftool.CtxResult r = bt.runProgram("xdp_fib_router", f, xdpMd(f.length, 2), 1);
                    assertEquals(null, r.error());
                    String file = switch ((int) r.retval()) {
                        case 1 -> "drop.pcap";
                        case 2 -> "pass.pcap";
                        case 3 -> "tx.pcap";
                        case 4 -> "redirect-3.pcap";
                        default -> "aborted.pcap";
                    };
                    kernel.get(file).add(KernelOracle.hex(r.dataOut()));
                }
            }
        }
        assertTrue(kernel.get("redirect-3.pcap").size() >= 4, "the kernel forwards the DNS frames: " + kernel);

        Path out = tmp.resolve("out");
        Cli r = Cli.run("replay", capture.toString(), "--xdp", object.toString(), "--topspeed", "--port", "3", "--out-dir", out.toString(),
                "--route", "10.0.0.0/24 dev 3", "--route", "default via 10.0.0.254 dev 3",
                "--neigh", "10.0.0.254 lladdr " + GATEWAY_MAC + " dev 3");
        assertEquals(0, r.status(), r.err());
        Map<String, List<String>> got = new TreeMap<>();
        for (String f : kernel.keySet()) {
            got.put(f, KernelOracle.hex(Captures.frames(out.resolve(f))));
        }
        assertEquals(kernel, got);
    }

    @Test
    void aRouteOrNeighbourThatCannotBeReadIsOneLine() {
        Path capture = Cli.root().resolve("pcap-corpus/udp-dns.pcap");
        String object = Cli.object("xdp_fib_router");
        oneLine(Cli.run("replay", capture.toString(), "--xdp", object, "--route", "default via 10.0.0.254 dev 4"),
                "Error: --route 'default via 10.0.0.254 dev 4': no port 4 (ports: 2; add one with --port N)");
        oneLine(Cli.run("replay", capture.toString(), "--xdp", object, "--route", "default via 10.0.0.254 gw 3"),
                "Error: --route 'default via 10.0.0.254 gw 3': unknown word 'gw' (want via, dev, metric or mtu)");
        oneLine(Cli.run("replay", capture.toString(), "--xdp", object, "--route", "10.1.0.0/16 via 10.0.0.254"),
                "Error: --route '10.1.0.0/16 via 10.0.0.254': a unicast route needs 'dev PORT'");
        oneLine(Cli.run("replay", capture.toString(), "--xdp", object, "--route", "10.1.0.0/16 dev 2 metric x"),
                "Error: --route '10.1.0.0/16 dev 2 metric x': 'metric' wants a number, not 'x'");
        oneLine(Cli.run("replay", capture.toString(), "--xdp", object, "--neigh", "10.0.0.254 dev 2"),
                "Error: --neigh '10.0.0.254 dev 2': a neighbour needs 'lladdr MAC' and 'dev PORT'");
        oneLine(Cli.run("replay", capture.toString(), "--xdp", object, "--neigh", "10.0.0.300 lladdr 02:aa:00:00:00:01 dev 2"),
                "Error: --neigh '10.0.0.300 lladdr 02:aa:00:00:00:01 dev 2': not an IP address: 10.0.0.300");
    }

    private static void oneLine(Cli r, String expected) {
        assertEquals(1, r.status(), r.out());
        assertEquals(expected, r.err().strip());
    }

    /** struct xdp_md for a test run: data 0, data_end the frame's length, no metadata, arriving on {@code ifindex}, queue 0. */
    private static byte[] xdpMd(int length, int ifindex) {
        return ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN).putInt(0).putInt(length).putInt(0).putInt(ifindex).putInt(0).putInt(0)
                .array();
    }

    private static int ifindex(Netns ns, String device) {
        String line = ns.exec("ip", "-o", "link", "show", "dev", device).orFail().out();
        return Integer.parseInt(line.substring(0, line.indexOf(':')).strip());
    }
}
