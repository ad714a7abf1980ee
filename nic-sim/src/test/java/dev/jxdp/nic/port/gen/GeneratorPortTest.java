package dev.jxdp.nic.port.gen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jxdp.nic.Datapath;
import dev.jxdp.nic.PortConfig;
import dev.jxdp.nic.port.pcap.PcapSink;
import dev.jxdp.nic.testing.Cmd;
import dev.jxdp.nic.testing.Processors;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Generated traffic, written to a pcap sink and judged by tshark (and tcpdump). */
class GeneratorPortTest {
    @TempDir
    Path tmp;

    private Path generate(String name, GeneratorPort.Options options) throws Exception {
        Path out = tmp.resolve(name);
        GeneratorPort gen = new GeneratorPort("gen", PortConfig.of(2), options.withLossless(true));
        PcapSink sink = new PcapSink("out", PortConfig.of(3), out);
        try (Datapath dp = Datapath.builder().port(gen).port(sink).processor(Processors.forwardTo(sink)).build()) {
            dp.start();
            assertTrue(gen.awaitFinished(60, TimeUnit.SECONDS));
        }
        return out;
    }

    private static List<String> tshark(Path file, String... fields) {
        assumeTrue(Cmd.available("tshark"), "tshark is not installed");
        List<String> cmd = new java.util.ArrayList<>(List.of("tshark", "-r", file.toString(), "-o", "ip.check_checksum:TRUE", "-o",
                "udp.check_checksum:TRUE", "-T", "fields", "-E", "separator=,"));
        for (String f : fields) {
            cmd.add("-e");
            cmd.add(f);
        }
        return Cmd.run(60, cmd).orFail().out().lines().toList();
    }

    @Test
    void imixFramesAreValidUdpWithGoodChecksumsInSevenFourOne() throws Exception {
        Path out = generate("imix.pcap", GeneratorPort.Options.defaults().withMix(new SizeMix.Imix()).withFlows(16).withCount(1200));
        // checksum status 1 is tshark's "Good" (0 bad, 2 unverified); every frame is UDP to port 9 with its whole length in the IP header
        List<String> rows = tshark(out, "frame.len", "ip.checksum.status", "udp.checksum.status", "ip.len", "udp.dstport", "_ws.expert");
        assertEquals(1200, rows.size());
        Map<Integer, Integer> sizes = new TreeMap<>();
        for (String row : rows) {
            String[] f = row.split(",", -1);
            assertEquals("1", f[1], row);
            assertEquals("1", f[2], row);
            assertEquals(Integer.parseInt(f[0]) - 14, Integer.parseInt(f[3]), row);
            assertEquals("9", f[4], row);
            assertEquals("", f[5], "tshark's expert info flags nothing: " + row);
            sizes.merge(Integer.parseInt(f[0]), 1, Integer::sum);
        }
        // the wire sizes 64/594/1518 less the FCS, in about 7:4:1 (1200 draws: 700/400/100 give or take)
        assertEquals(List.of(60, 590, 1514), List.copyOf(sizes.keySet()));
        assertTrue(Math.abs(sizes.get(60) - 700) < 90, sizes.toString());
        assertTrue(Math.abs(sizes.get(590) - 400) < 80, sizes.toString());
        assertTrue(Math.abs(sizes.get(1514) - 100) < 45, sizes.toString());
    }

    @Test
    void theFlowCountIsTheNumberOfDistinctFlows() throws Exception {
        Path out = generate("flows.pcap", GeneratorPort.Options.defaults().withFlows(5).withCount(500));
        List<String> flows = tshark(out, "ip.src", "udp.srcport").stream().distinct().sorted().toList();
        assertEquals(List.of("198.18.0.1,1024", "198.18.0.2,1025", "198.18.0.3,1026", "198.18.0.4,1027", "198.18.0.5,1028"), flows);
    }

    @Test
    void theSameSeedGivesTheSameFramesAndAnotherSeedOthers() throws Exception {
        GeneratorPort.Options o = GeneratorPort.Options.defaults().withMix(new SizeMix.Imix()).withFlows(100).withCount(300).withSeed(42);
        // tcpdump -t: every byte, no timestamps
        String a = Cmd.run("tcpdump", "-r", generate("a.pcap", o).toString(), "-t", "-xx", "-n").orFail().out();
        String b = Cmd.run("tcpdump", "-r", generate("b.pcap", o).toString(), "-t", "-xx", "-n").orFail().out();
        String c = Cmd.run("tcpdump", "-r", generate("c.pcap", o.withSeed(43)).toString(), "-t", "-xx", "-n").orFail().out();
        assertEquals(a, b);
        assertTrue(!a.equals(c));
    }

    @Test
    void aFixedSizeIsTheWireSizeLessTheFcs() throws Exception {
        Path out = generate("fixed.pcap", GeneratorPort.Options.defaults().withMix(new SizeMix.Fixed(1518)).withCount(10));
        assertEquals(List.of("1514,1,1"), tshark(out, "frame.len", "ip.checksum.status", "udp.checksum.status").stream().distinct().toList());
    }
}
