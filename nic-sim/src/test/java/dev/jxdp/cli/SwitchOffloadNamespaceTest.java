package dev.jxdp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jxdp.nic.port.tap.TapPort;
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
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Taps with the virtio-net header (IFF_VNET_HDR and TCP offloads) under {@code jxdp switch}: an HTTP
 * download of a few megabytes between two namespaces through the learning switch, with large
 * segments carried whole from tap to tap, and, when the receiving tap has no offloads, cut in software
 * into segments the receiving kernel accepts (its TCP would drop a bad checksum; tcpdump checks each
 * one too) and no larger than the MTU.
 */
@Timeout(240)
class SwitchOffloadNamespaceTest {
    private static final int FILE_BYTES = 8 << 20;
    @TempDir
    Path runDir;
    @RegisterExtension
    final RunDirProperty runDirProperty = new RunDirProperty(() -> runDir);

    private static Switch start(String name, List<String> ports, String l2) throws IOException {
        return SwitchSetup.start(name, ports, l2, 1);
    }

    /** A file of random bytes in {@code dir}; returns its SHA-256. */
    private static String randomFile(Path file) throws Exception {
        byte[] data = new byte[FILE_BYTES];
        new Random(9).nextBytes(data);
        Files.write(file, data);
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }

    /** Downloads http://ADDR:8080/blob in {@code client} (server in {@code server}); returns the SHA-256 of what arrived. */
    private String download(Netns server, Netns client, String address, Path www) throws Exception {
        Process http = new ProcessBuilder("ip", "netns", "exec", server.name(), "/usr/bin/python3", "-m", "http.server", "8080", "--bind",
                address, "--directory", www.toString()).redirectErrorStream(true).redirectOutput(runDir.resolve("http.log").toFile()).start();
        try {
            Path got = runDir.resolve("got");
            Cmd.Result curl = null;
            for (int i = 0; i < 50; i++) { // until the server listens
                curl = client.exec(60, "curl", "-s", "-m", "50", "-o", got.toString(), "http://" + address + ":8080/blob");
                if (curl.status() == 0) {
                    break;
                }
                Thread.sleep(200);
            }
            assertEquals(0, curl.status(), curl.err() + Files.readString(runDir.resolve("http.log")));
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(got)));
        } finally {
            http.destroy();
            http.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** The kernel's own count of bytes and frames a device received (what jxdp wrote into a tap). */
    private static long[] rxStats(Netns ns, String device) {
        String bytes = ns.exec("cat", "/sys/class/net/" + device + "/statistics/rx_bytes").orFail().out().strip();
        String packets = ns.exec("cat", "/sys/class/net/" + device + "/statistics/rx_packets").orFail().out().strip();
        return new long[] {Long.parseLong(bytes), Long.parseLong(packets)};
    }

    private static void assumeTools() {
        Netns.assumeTaps();
        assumeTrue(Cmd.available("curl"), "curl is not installed");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "no /usr/bin/python3 for the HTTP server");
    }

    @Test
    void largeSegmentsCrossTheSwitchWholeBetweenTapsWithOffloads() throws Exception {
        assumeTools();
        String a = Netns.uniqueDevice("ofa");
        String b = Netns.uniqueDevice("ofb");
        Path www = Files.createDirectory(runDir.resolve("www"));
        String sha = randomFile(www.resolve("blob"));
        try (Netns nsA = Netns.create("ofns"); Netns nsB = Netns.create("ofns");
                Switch sw = start("swofl", List.of("tap:" + a, "tap:" + b), Cli.object("xdp_l2_switch"))) {
            SwitchSetup.devmap("swofl", 2, 3);
            SwitchSetup.configure(nsA, a, "10.81.0.1/24");
            SwitchSetup.configure(nsB, b, "10.81.0.2/24");
            // the kernel turned TSO on for the taps because jxdp asked for it (TUNSETOFFLOAD)
            String features = nsB.exec("ethtool", "-k", b).orFail().out();
            assertTrue(features.contains("tcp-segmentation-offload: on"), features);
            long[] before = rxStats(nsA, a);

            assertEquals(sha, download(nsB, nsA, "10.81.0.2", www), "the file arrived intact");

            TapPort tapA = (TapPort) sw.ports().get(a);
            TapPort tapB = (TapPort) sw.ports().get(b);
            assertTrue(tapB.largeReceived.get() > 0, "B's kernel handed jxdp large segments");
            assertTrue(tapA.largeSent.get() > 0, "and jxdp handed them whole to A's kernel");
            // lossless taps (the default): nothing dropped for want of ring room or buffers
            assertTrue(tapA.lossless() && tapB.lossless());
            for (TapPort t : List.of(tapA, tapB)) {
                assertEquals(0, t.rxQueue(0).missed.get(), t.name() + " rx_missed");
                assertEquals(0, t.txQueue(0).dropped.get(), t.name() + " tx_dropped");
            }
            long[] after = rxStats(nsA, a);
            long bytes = after[0] - before[0];
            long frames = after[1] - before[1];
            assertTrue(bytes >= FILE_BYTES, bytes + " bytes");
            // A's tap counted fewer, larger frames than 1514-byte ones would make
            assertTrue(bytes / frames > 1514, bytes + " bytes in " + frames + " frames");
        }
    }

    /**
     * A large segment that XDP passes reaches tc ingress with its segment size, as tun's skb does in the
     * kernel ({@code GsoAtTcKernelTest}: gso_size from the virtio-net header, gso_segs 0, wire_len the
     * length less the Ethernet header): programs/bin/tc_gso_probe.o at tc ingress of a tap whose namespace serves a file,
     * the host port a tap in the downloading namespace (and its replies out through the first tap).
     */
    @Test
    void tcIngressSeesALargeSegmentsSizeAsTheKernelsTunLeavesIt() throws Exception {
        assumeTools();
        String p = Netns.uniqueDevice("ofp");
        String h = Netns.uniqueDevice("ofh");
        Path www = Files.createDirectory(runDir.resolve("www"));
        String sha = randomFile(www.resolve("blob"));
        SwitchConfig config = new SwitchConfig("swgso", List.of(PortSpec.parse("tap:" + p, 0, false)), PortSpec.parse("tap:" + h, 0, true), p,
                List.of(AttachSpec.tcIngress(p + "=" + Cli.object("tc_gso_probe"))), 1, 0);
        try (Netns wire = Netns.create("ofns"); Netns host = Netns.create("ofns");
                Switch sw = Switch.start(config, f -> ObjectLoader.load(f, LoadOptions.defaults()))) {
            SwitchSetup.configure(wire, p, "10.82.0.1/24");
            SwitchSetup.configure(host, h, "10.82.0.2/24");
            assertEquals(sha, download(wire, host, "10.82.0.1", www), "the file arrived intact");

            int id = sw.maps().stream().filter(m -> m.name().equals("gso_seen")).findFirst().orElseThrow().id();
            ByteBuffer seen = ByteBuffer.wrap(sw.map(id).lookup(new byte[4]).orElseThrow()).order(ByteOrder.LITTLE_ENDIAN);
            int packets = seen.getInt(0);
            int large = seen.getInt(4);
            int gsoSize = seen.getInt(24); // the last large segment's sizes
            int gsoSegs = seen.getInt(28);
            int len = seen.getInt(32);
            int wireLen = seen.getInt(36);
            assertTrue(large > 0 && large < packets, large + " large segments of " + packets + " packets");
            // the server's MSS: MTU 1500 less 20 bytes of IPv4, 20 of TCP and 12 of timestamps (fewer with SACK blocks)
            assertTrue(gsoSize > 1000 && gsoSize <= 1448, "gso_size " + gsoSize);
            assertEquals(0, gsoSegs, "gso_segs: counted only when the segment is cut");
            assertTrue(len > 14 + 20 + 20 + gsoSize, "a segment of " + len + " bytes holds more than one " + gsoSize + "-byte payload");
            assertEquals(len - 14, wireLen, "wire_len at ingress: the length less the Ethernet header");
        }
    }

    /**
     * {@code jxdp switch --workers 2}: each tap's receive queue goes to its own worker, so the two
     * directions of a TCP download run at once on two threads that share the MAC table (a hash map
     * both update) and hand frames to each other's taps.
     */
    @Test
    void twoWorkersCarryADownloadBothWaysAtOnce() throws Exception {
        assumeTools();
        String a = Netns.uniqueDevice("ofa");
        String b = Netns.uniqueDevice("ofb");
        Path www = Files.createDirectory(runDir.resolve("www"));
        String sha = randomFile(www.resolve("blob"));
        try (Netns nsA = Netns.create("ofns"); Netns nsB = Netns.create("ofns");
                Switch sw = SwitchSetup.start("swtwo", List.of("tap:" + a, "tap:" + b), Cli.object("xdp_l2_switch"), 2)) {
            SwitchSetup.devmap("swtwo", 2, 3);
            SwitchSetup.configure(nsA, a, "10.83.0.1/24");
            SwitchSetup.configure(nsB, b, "10.83.0.2/24");
            assertEquals(sha, download(nsB, nsA, "10.83.0.2", www), "the file arrived intact");
            assertEquals(sha, download(nsA, nsB, "10.83.0.1", www), "and the other way");

            // both workers ran: each took one tap's frames (with TSO, a few hundred: 64 KB segments and their ACKs)
            assertEquals(2, sw.datapath().workerCount());
            long f0 = sw.datapath().worker(0).counters.frames.get();
            long f1 = sw.datapath().worker(1).counters.frames.get();
            for (int w = 0; w < 2; w++) {
                assertTrue(sw.datapath().worker(w).counters.frames.get() > 100, "frames per worker: " + f0 + ", " + f1);
                assertEquals(0, sw.datapath().worker(w).counters.errors.get(), "worker " + w + " errors");
            }
        }
    }

    @Test
    void largeSegmentsForATapWithoutOffloadsAreCutInSoftwareWithValidChecksums() throws Exception {
        assumeTools();
        assumeTrue(Cmd.available("tcpdump"), "tcpdump is not installed");
        String a = Netns.uniqueDevice("ofa");
        String b = Netns.uniqueDevice("ofb");
        Path www = Files.createDirectory(runDir.resolve("www"));
        String sha = randomFile(www.resolve("blob"));
        Path pcap = runDir.resolve("a.pcap");
        try (Netns nsA = Netns.create("ofns"); Netns nsB = Netns.create("ofns");
                Switch sw = start("swsgo", List.of("tap:" + a + ",offload=off", "tap:" + b), Cli.object("xdp_l2_switch"))) {
            SwitchSetup.devmap("swsgo", 2, 3);
            SwitchSetup.configure(nsA, a, "10.82.0.1/24");
            SwitchSetup.configure(nsB, b, "10.82.0.2/24");
            Process dump = new ProcessBuilder("ip", "netns", "exec", nsA.name(), "tcpdump", "-i", a, "-n", "-U", "-B", "65536", "-w",
                    pcap.toString(), "tcp", "and", "src", "port", "8080").redirectErrorStream(true)
                    .redirectOutput(runDir.resolve("tcpdump.log").toFile()).start();
            try {
                Thread.sleep(1000); // tcpdump listening
                assertEquals(sha, download(nsB, nsA, "10.82.0.2", www), "the file arrived intact");
                Thread.sleep(500);
            } finally {
                dump.destroy();
                dump.waitFor(10, TimeUnit.SECONDS);
            }
            TapPort tapA = (TapPort) sw.ports().get(a);
            TapPort tapB = (TapPort) sw.ports().get(b);
            assertTrue(tapB.largeReceived.get() > 0, "B's kernel handed jxdp large segments");
            assertEquals(0, tapA.largeSent.get());
            assertEquals(0, tapA.txQueue(0).errors.get());

            // tcpdump checks every segment's IPv4 and TCP checksums, as A's kernel received them
            Cmd.Result r = Cmd.run(60, List.of("tcpdump", "-r", pcap.toString(), "-n", "-vv"));
            assertEquals(0, r.status(), r.err());
            String out = r.out();
            assertTrue(!out.contains("incorrect") && !out.contains("bad cksum"), out.lines().filter(l -> l.contains("incorrect")
                    || l.contains("bad cksum")).limit(5).toList().toString());
            long correct = out.lines().filter(l -> l.contains("cksum") && l.contains("(correct)")).count();
            // a capture may lose some frames on a loaded machine (tcpdump's "dropped by kernel", even with
            // a 64 MB buffer): checking nine in ten of the file's segments still covers the cutting
            String capture = Files.readString(runDir.resolve("tcpdump.log"));
            assertTrue(correct > FILE_BYTES / 1448 * 9 / 10, correct + " segments checked; tcpdump: " + capture);
            // none longer than the MTU: "length N" of the IPv4 header, at most 1500
            Matcher m = Pattern.compile("proto TCP \\(6\\), length (\\d+)").matcher(out);
            int longest = 0;
            while (m.find()) {
                longest = Math.max(longest, Integer.parseInt(m.group(1)));
            }
            assertTrue(longest > 1000 && longest <= 1500, "longest IPv4 packet " + longest);
        }
    }
}
