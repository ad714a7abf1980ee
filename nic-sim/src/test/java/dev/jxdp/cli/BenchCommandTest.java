package dev.jxdp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jxdp bench} without the kernel: what it prints and writes, and how it refuses bad flags.
 * Runs use {@code --count}, a fixed number of frames sent without loss, so counts are exact; nothing
 * here looks at how fast anything was.
 */
class BenchCommandTest {
    @TempDir
    Path tmp;

    private static JsonNode json(Cli r) throws Exception {
        assertEquals(0, r.status(), r.out() + r.err());
        return new ObjectMapper().readTree(r.out());
    }

    @Test
    void plainOutputHasRatesWorkersVerdictsAndThePercentileDistribution() {
        Cli r = Cli.run("bench", "--xdp", Cli.object("xdp_drop"), "--gen", "size=64,flows=4", "--count", "3000");
        assertEquals(0, r.status(), r.out() + r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals("program:    xdp " + Cli.object("xdp_drop") + ":xdp_drop (jit)", lines.get(0));
        assertEquals("traffic:    generator, 64-byte frames (with FCS), 4 flows, seed 1, top speed", lines.get(1));
        assertTrue(lines.get(2).startsWith("workers:    1, "), lines.get(2));
        assertEquals("packets:    3000 (rx_missed 0: no ring overflowed)", lines.get(3), "--count waits for room: no loss");
        assertTrue(lines.get(4).matches("rate: +[0-9.]+ Mpps, [0-9.]+ Gbit/s of frames, [0-9.]+ Gbit/s on the wire \\(\\+24 B per frame: FCS, preamble, gap\\)"),
                lines.get(4));
        assertTrue(lines.get(5).matches("worker 0: +3000 packets, [0-9.]+ Mpps, [0-9.]+ ns/packet"), lines.get(5));
        assertEquals("xdp:        XDP_DROP 3000 (100.0%)", lines.get(6));
        assertEquals("fates:      dropped 3000 (100.0%)", lines.get(7));
        assertEquals("latency (us, end to end through the hooks, 1 frame in 64 timed):", lines.get(8), "the default sampling");
        // HdrHistogram's percentile distribution: header, rows, and the footer with the count (3000 / 64 timed)
        assertEquals("Value     Percentile TotalCount 1/(1-Percentile)", lines.get(9).strip());
        assertTrue(r.out().contains("Total count    =           46]") || r.out().contains("Total count    =           47]"), r.out());
        assertEquals("", r.err());
    }

    @Test
    void jsonHasTheFiguresAsNumbers() throws Exception {
        JsonNode j = json(Cli.run("-j", "bench", "--xdp", Cli.object("xdp_pass"), "--tc-ingress", Cli.object("tc_ok"), "--gen",
                "size=128,flows=64", "--workers", "2", "--count", "2000", "--sampling", "1"));
        for (String f : List.of("program", "engine", "traffic", "workers", "seconds", "packets", "bytes", "rx_missed", "mpps", "gbit_frames", "gbit_wire",
                "per_worker", "verdicts", "latency")) {
            assertTrue(j.has(f), f + " in " + j);
        }
        assertEquals(2, j.get("workers").asInt());
        assertEquals(2000, j.get("packets").asLong());
        assertEquals(2000L * 124, j.get("bytes").asLong(), "128-byte frames less the FCS");
        assertEquals(2, j.get("per_worker").size());
        assertEquals(2000, j.get("per_worker").get(0).get("packets").asLong() + j.get("per_worker").get(1).get("packets").asLong());
        assertEquals(2000, j.get("verdicts").get("xdp").get("XDP_PASS").asLong());
        assertEquals(2000, j.get("verdicts").get("tc_ingress").get("TC_ACT_OK").asLong());
        assertTrue(j.get("mpps").isNumber() && j.get("gbit_wire").isNumber());
        // on the wire each frame has 24 bytes more than the 124 the programs see
        assertEquals(j.get("gbit_frames").asDouble() * 148 / 124, j.get("gbit_wire").asDouble(), 1e-9);
        assertEquals(2000, j.get("latency").get("count").asLong(), "--sampling 1 times every frame");
        assertEquals("ns", j.get("latency").get("unit").asText());
        assertFalse(j.has("kernel"));
    }

    @Test
    void hgrmFileIsHdrHistogramsPercentileDistributionAndThePlotIsAPng() throws Exception {
        Path hgrm = tmp.resolve("lat.hgrm");
        Path png = tmp.resolve("lat.png");
        JsonNode j = json(Cli.run("-j", "bench", "--xdp", Cli.object("xdp_tx"), "--count", "1000", "--sampling", "1", "--hgrm", hgrm.toString(),
                "--plot", png.toString()));
        List<String> lines = Files.readAllLines(hgrm);
        assertEquals("Value     Percentile TotalCount 1/(1-Percentile)", lines.get(0).strip());
        List<double[]> rows = new ArrayList<>();
        String footer = null;
        for (String l : lines.subList(1, lines.size())) {
            if (l.isBlank()) {
                continue;
            }
            if (l.startsWith("#[Max")) {
                footer = l;
            }
            if (!l.startsWith("#")) {
                String[] f = l.strip().split("\\s+");
                rows.add(new double[] {Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2])});
            }
        }
        // rows climb in value, percentile and count, up to percentile 1 and every recorded frame
        for (int i = 1; i < rows.size(); i++) {
            assertTrue(rows.get(i)[0] >= rows.get(i - 1)[0] && rows.get(i)[1] >= rows.get(i - 1)[1] && rows.get(i)[2] >= rows.get(i - 1)[2]);
        }
        assertEquals(1.0, rows.getLast()[1]);
        assertEquals(1000, (long) rows.getLast()[2]);
        // the footer: the maximum in microseconds and the count, as the JSON has them in nanoseconds
        assertTrue(footer != null && footer.matches("#\\[Max +=\\s+[0-9.]+, Total count +=\\s+1000\\]"), String.valueOf(footer));
        double maxUs = Double.parseDouble(footer.replaceAll("#\\[Max +=\\s+([0-9.]+),.*", "$1"));
        assertEquals(j.get("latency").get("max").asDouble() / 1000, maxUs, 0.001 + maxUs * 0.001);
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(900, image.getWidth());
        assertEquals(500, image.getHeight());
        assertEquals(1000, j.get("verdicts").get("xdp").get("XDP_TX").asLong());
    }

    @Test
    void aDevmapRedirectGoesToTheSecondPort() throws Exception {
        JsonNode j = json(Cli.run("-j", "bench", "--xdp", Cli.object("xdp_redirect_devmap"), "--devmap", "tx_port", "--count", "500"));
        assertEquals(500, j.get("verdicts").get("xdp").get("XDP_REDIRECT").asLong());
        // without the slot filled, bpf_redirect_map returns its flags argument: XDP_ABORTED
        JsonNode empty = json(Cli.run("-j", "bench", "--xdp", Cli.object("xdp_redirect_devmap"), "--count", "100"));
        assertEquals(100, empty.get("verdicts").get("xdp").get("XDP_ABORTED").asLong());
    }

    /**
     * --mtu is every port's: an XDP redirect takes a frame of at most MTU + 18 bytes (xdp_ok_fwd_dev;
     * BenchKernelTest finds the same bound on the kernel reference's veths). 3000-byte frames (size=3004
     * with the FCS) cross to an MTU of 2982 and not to 2981, nor to the default 1500; the fates say so
     * where the verdicts cannot (XDP_REDIRECT either way).
     */
    @Test
    void aRedirectIsHeldToTheMtu() throws Exception {
        for (String mtu : List.of("2982", "2981")) {
            JsonNode j = json(Cli.run("-j", "bench", "--xdp", Cli.object("xdp_redirect_port"), "--gen", "size=3004", "--count", "1000", "--mtu", mtu));
            assertEquals("{\"xdp\":{\"XDP_REDIRECT\":1000}}", j.get("verdicts").toString(), mtu);
            assertEquals(mtu.equals("2982") ? "{\"transmitted\":1000}" : "{\"dropped\":1000}", j.get("fates").toString(), mtu);
        }
        Cli plain = Cli.run("bench", "--xdp", Cli.object("xdp_redirect_port"), "--gen", "size=3004", "--count", "1000");
        assertEquals(0, plain.status(), plain.err());
        assertTrue(plain.out().lines().anyMatch("fates:      dropped 1000 (100.0%)"::equals), plain.out());
        String drop = Cli.object("xdp_drop");
        assertOneLine(Cli.run("bench", "--xdp", drop, "--mtu", "60"), 1, "--mtu 60: at least 68 (IPv4's least)");
        assertOneLine(Cli.run("bench", "--xdp", drop, "--mtu", "9500"), 1, "--mtu 9500: MTU 9500 does not fit buffers with room for 9018-byte frames (at most 9000)");
        // refused before the run, and before asking whether the kernel can be used at all
        assertOneLine(Cli.run("bench", "--xdp", drop, "--mtu", "3507", "--kernel"), 1,
                "--kernel: --mtu 3507: the kernel reference's veths take at most 3506 (a veth whose peer runs XDP holds a frame in a page)");
    }

    @Test
    void eachHookTakesTheProgramOfItsTypeFromAnObjectWithBoth() throws Exception {
        // xdp_tc_meta_handoff.o: xdp_store_meta (xdp) puts metadata before the frame, tc_meta_to_mark (tc) reads it
        String both = Cli.object("xdp_tc_meta_handoff");
        JsonNode j = json(Cli.run("-j", "bench", "--xdp", both, "--tc-ingress", both, "--count", "300"));
        assertEquals("xdp " + both + ":xdp_store_meta, tc ingress " + both + ":tc_meta_to_mark", j.get("program").asText());
        assertEquals(300, j.get("verdicts").get("xdp").get("XDP_PASS").asLong());
        assertEquals(300, j.get("verdicts").get("tc_ingress").get("TC_ACT_OK").asLong());
    }

    @Test
    void aCaptureIsReplayedInALoopForTheDuration() throws Exception {
        // icmp-ping.pcap: 12 frames, of which tcpdump counts the ICMP ones; xdp_flow_verdict passes all that is not UDP
        Path capture = Cli.root().resolve("pcap-corpus/icmp-ping.pcap");
        JsonNode j = json(Cli.run("-j", "bench", "--xdp", Cli.object("xdp_flow_verdict"), "--pcap", capture.toString(), "--duration", "1s",
                "--warmup", "0", "--rate", "2000"));
        assertEquals("pcap " + capture + " (looped), 2000 pps", j.get("traffic").asText());
        long packets = j.get("packets").asLong();
        assertTrue(packets > 12, "looped past the capture's 12 frames: " + packets);
        // read while the worker runs: a batch in flight (at most 64 frames) may be counted on one side only
        long passed = j.get("verdicts").get("xdp").get("XDP_PASS").asLong();
        assertTrue(Math.abs(passed - packets) <= 64, passed + " XDP_PASS verdicts for " + packets + " packets");
        assertEquals(1, j.get("verdicts").get("xdp").size());
    }

    @Test
    void theInterpreterGivesTheSameVerdicts() throws Exception {
        JsonNode j = json(Cli.run("-j", "bench", "--xdp", Cli.object("xdp_flow_verdict"), "--gen", "flows=8", "--count", "800", "--interpret"));
        assertEquals("interpreter", j.get("engine").asText());
        JsonNode jit = json(Cli.run("-j", "bench", "--xdp", Cli.object("xdp_flow_verdict"), "--gen", "flows=8", "--count", "800"));
        assertEquals(jit.get("verdicts"), j.get("verdicts"));
    }

    private static void assertOneLine(Cli r, int status, String expected) {
        assertEquals(status, r.status(), r.out() + r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("Error: " + expected), "expected 'Error: " + expected + "...', got: " + r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace");
    }

    /** A value an option cannot take is a usage error (exit 2, as picocli's own); what the input or the kernel refuses, 1. */
    @Test
    void badFlagsGiveOneLine() {
        String drop = Cli.object("xdp_drop");
        assertOneLine(Cli.run("bench"), 2, "nothing to run: give --xdp, --tc-ingress or --tc-egress (see 'jxdp bench --help')\n");
        assertOneLine(Cli.run("bench", "--xdp", drop, "--workers", "0"), 2, "--workers must be 1 to 256, not 0 (see 'jxdp bench --help')\n");
        assertOneLine(Cli.run("bench", "--xdp", drop, "--duration", "soon"), 2, "Invalid value for option '--duration': 'soon' is not a duration");
        assertOneLine(Cli.run("bench", "--xdp", drop, "--duration", "0"), 2, "--duration must be positive, not 0 (see 'jxdp bench --help')\n");
        assertOneLine(Cli.run("bench", "--xdp", drop, "--duration", "0ms"), 2, "--duration must be positive, not 0ms (see 'jxdp bench --help')\n");
        assertOneLine(Cli.run("bench", "--xdp", drop, "--count", "0"), 2, "--count must be positive, not 0 (see 'jxdp bench --help')\n");
        assertOneLine(Cli.run("bench", "--xdp", drop, "--count", "-5"), 2, "--count must be positive, not -5 (see 'jxdp bench --help')\n");
        assertOneLine(Cli.run("bench", "--xdp", drop, "--rate", "-5"), 2, "--rate must be a positive number of packets per second, not -5 (see 'jxdp bench --help')\n");
        // one measure at most, as replay's timing options: a usage error naming both
        assertOneLine(Cli.run("bench", "--xdp", drop, "--count", "100", "--duration", "1s"), 2,
                "--duration=TIME, --count=N are mutually exclusive (specify only one) (see 'jxdp bench --help')\n");
        assertOneLine(Cli.run("bench", "--xdp", drop, "--gen", "size=63"), 2, "--gen: an Ethernet frame is 64 to 9018 bytes with its FCS, not 63 (see 'jxdp bench --help')\n");
        assertOneLine(Cli.run("bench", "--xdp", drop, "--gen", "speed=9"), 2, "--gen: unknown key 'speed'");
        assertOneLine(Cli.run("bench", "--xdp", drop, "--gen", "flows=x"), 2, "--gen: flows=x is not a number (see 'jxdp bench --help')\n");
        assertOneLine(Cli.run("bench", "--xdp", tmpMissing()), 1, tmpMissing() + " (--xdp): no such file");
        assertOneLine(Cli.run("bench", "--xdp", drop + ":nosuch"), 1, "--xdp: no XDP program 'nosuch' in " + drop + " (its XDP programs: xdp_drop in xdp)");
        assertOneLine(Cli.run("bench", "--xdp", Cli.object("tc_ok")), 1, "--xdp: no XDP program in " + Cli.object("tc_ok") + " (it has no XDP program)");
        assertOneLine(Cli.run("bench", "--xdp", drop, "--sampling", "3"), 2, "--sampling must be 0 or a power of two, not 3 (see 'jxdp bench --help')\n");
        assertOneLine(Cli.run("bench", "--xdp", drop, "--gen", "flows=2", "--pcap", drop), 2, "--gen");
        assertOneLine(Cli.run("bench", "--tc-ingress", Cli.object("tc_ok"), "--devmap", "tx_port"), 2, "--devmap names a map of the --xdp object");
    }

    /** --plot writes the file it names, and that and --hgrm are checked before the run, in the words of the other file errors. */
    @Test
    void outputFilesAreTheOnesNamedAndCheckedBeforeTheRun() throws Exception {
        String drop = Cli.object("xdp_drop");
        Path dir = Files.createDirectories(tmp.resolve("out"));
        Cli r = Cli.run("bench", "--xdp", drop, "--count", "100", "--plot", dir.resolve("lat.PNG").toString());
        assertEquals(0, r.status(), r.err());
        try (var files = Files.list(dir)) {
            assertEquals(List.of(dir.resolve("lat.PNG")), files.toList(), "the name as given, no .png added");
        }
        assertEquals(900, ImageIO.read(dir.resolve("lat.PNG").toFile()).getWidth());
        Path pngDir = Files.createDirectories(tmp.resolve("dir.png"));
        Path missing = tmp.resolve("no-such-dir").resolve("lat.png");
        // a directory, or a name that promises another format: nothing runs, nothing is written
        assertOneLine(Cli.run("bench", "--xdp", drop, "--count", "100", "--plot", pngDir.toString()), 1, pngDir + " (--plot): is a directory\n");
        assertOneLine(Cli.run("bench", "--xdp", drop, "--count", "100", "--plot", tmp.resolve("lat.jpg").toString()), 2,
                "--plot " + tmp.resolve("lat.jpg") + ": the plot is a PNG; name a .png file (see 'jxdp bench --help')\n");
        assertOneLine(Cli.run("bench", "--xdp", drop, "--count", "100", "--plot", missing.toString()), 1,
                missing + " (--plot): no such directory " + missing.getParent() + "\n");
        assertOneLine(Cli.run("bench", "--xdp", drop, "--count", "100", "--hgrm", dir.toString()), 1, dir + " (--hgrm): is a directory\n");
        assertOneLine(Cli.run("bench", "--xdp", drop, "--count", "100", "--hgrm", missing.toString()), 1,
                missing + " (--hgrm): no such directory " + missing.getParent() + "\n");
        assertFalse(Files.exists(tmp.resolve("lat.jpg")) || Files.exists(tmp.resolve("lat.jpg.png")) || Files.exists(pngDir.resolve(".png")));
        try (var files = Files.list(pngDir)) {
            assertEquals(0, files.count());
        }
    }

    /** A capture cut in a record (the replay test's worked example) or holding none: one line, before any run. */
    @Test
    void aTruncatedOrEmptyCaptureIsRefusedBeforeTheRun() throws Exception {
        String drop = Cli.object("xdp_drop");
        byte[] whole = Files.readAllBytes(Cli.root().resolve("pcap-corpus/icmp-ping.pcap"));
        Path cut = tmp.resolve("cut.pcap");
        Files.write(cut, java.util.Arrays.copyOf(whole, 500));
        // records of 24 + 16 + n bytes: record 6 starts at byte 482 and claims 98 bytes, 2 remain
        assertOneLine(Cli.run("bench", "--xdp", drop, "--pcap", cut.toString(), "--duration", "1s"), 1,
                cut + ": record 6 at byte offset 482: truncated dump file");
        Path empty = tmp.resolve("empty.pcap");
        Files.write(empty, java.util.Arrays.copyOf(whole, 24));
        assertOneLine(Cli.run("bench", "--xdp", drop, "--pcap", empty.toString(), "--duration", "1s"), 1,
                empty + " holds no frame (--pcap)");
    }

    private static String tmpMissing() {
        return Path.of("no-such-dir", "missing.o").toString();
    }
}
