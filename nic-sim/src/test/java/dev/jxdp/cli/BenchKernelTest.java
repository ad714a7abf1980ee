package dev.jxdp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jxdp.bench.KernelLiveRun;
import dev.jxdp.bench.Traffic;
import dev.jxdp.kernel.Bpf;
import dev.jxdp.kernel.BpfProgram;
import dev.jxdp.kernel.KernelComparisons;
import dev.jxdp.kernel.ProgType;
import dev.jxdp.kernel.TestRun;
import dev.jxdp.nic.Datapath;
import dev.jxdp.nic.PortConfig;
import dev.jxdp.nic.port.gen.GeneratorPort;
import dev.jxdp.nic.port.pcap.PcapSink;
import dev.jxdp.nic.testing.Processors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jxdp bench} against the kernel: the verdicts of a load test are the kernel's verdicts for the
 * same generated frames, and {@code --kernel} puts the kernel's live-frames figure beside jxdp's.
 */
class BenchKernelTest {
    private static final String[] XDP = {"XDP_ABORTED", "XDP_DROP", "XDP_PASS", "XDP_TX", "XDP_REDIRECT"};

    @TempDir
    Path tmp;

    private static void assumeKernel() {
        KernelComparisons.assumeKernel();
        String reason = KernelProgRun.unavailableReason();
        KernelComparisons.assume(reason == null, reason);
    }

    @Test
    void theVerdictMixIsTheKernelsForTheSameFrames() throws Exception {
        assumeKernel();
        // the frames jxdp bench will send: the generator with the same options, written to a capture
        Path pcap = tmp.resolve("gen.pcap");
        GeneratorPort gen = new GeneratorPort("gen", PortConfig.of(2), GeneratorPort.Options.defaults().withFlows(64).withSeed(7)
                .withCount(640).withLossless(true));
        PcapSink sink = new PcapSink("out", PortConfig.of(3), pcap);
        try (Datapath dp = Datapath.builder().port(gen).port(sink).processor(Processors.forwardTo(sink)).build()) {
            dp.start();
            assertTrue(gen.awaitFinished(60, TimeUnit.SECONDS));
        }
        // the kernel's verdict for each, from the object as libbpf loads it
        Map<String, Long> kernel = new TreeMap<>();
        Path pins = Path.of("/sys/fs/bpf/bnt-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        try {
            run("bpftool", "prog", "loadall", Cli.object("xdp_flow_verdict"), pins.toString());
            try (BpfProgram p = Bpf.pinnedProgram(pins.resolve("xdp_flow_verdict"), ProgType.XDP)) {
                for (byte[] frame : records(pcap)) {
                    kernel.merge(XDP[(int) p.testRun(TestRun.of(frame)).retval()], 1L, Long::sum);
                }
            }
        } finally {
            if (Files.exists(pins)) {
                try (var s = Files.walk(pins)) {
                    for (Path x : s.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(x);
                    }
                }
            }
        }
        assertEquals(640, kernel.values().stream().mapToLong(Long::longValue).sum());
        assertTrue(kernel.size() >= 3, "the flows give a mix: " + kernel);
        Cli r = Cli.run("-j", "bench", "--xdp", Cli.object("xdp_flow_verdict"), "--gen", "size=64,flows=64,seed=7", "--count", "640", "--workers", "2");
        assertEquals(0, r.status(), r.out() + r.err());
        JsonNode xdp = new ObjectMapper().readTree(r.out()).get("verdicts").get("xdp");
        Map<String, Long> jxdp = new TreeMap<>();
        xdp.properties().forEach(e -> jxdp.put(e.getKey(), e.getValue().asLong()));
        assertEquals(kernel, jxdp);
    }

    @Test
    void kernelPutsTheKernelsLiveFramesFigureBeside() throws Exception {
        assumeKernel();
        Cli r = Cli.run("-j", "bench", "--xdp", Cli.object("xdp_pass"), "--tc-ingress", Cli.object("tc_ok"), "--count", "20000", "--kernel");
        assertEquals(0, r.status(), r.out() + r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        JsonNode k = j.get("kernel");
        assertTrue(k.get("mode").asText().startsWith("BPF_PROG_TEST_RUN live frames on a veth"), k.toString());
        assertEquals(1, k.get("ns_per_packet").size());
        assertEquals("wall clock", k.get("mpps_by").asText());
        assertTrue(k.get("ns_per_packet").get(0).asDouble() > 0 && k.get("mpps").asDouble() > 0, k.toString());
        assertTrue(j.get("ratio_to_kernel").isNumber(), j.toString());
        Cli plain = Cli.run("bench", "--xdp", Cli.object("xdp_drop"), "--count", "20000", "--kernel");
        assertEquals(0, plain.status(), plain.out() + plain.err());
        assertTrue(plain.out().lines().anyMatch(l -> l.matches("kernel: +[0-9.]+ Mpps, [0-9.]+ ns/packet per worker \\(BPF_PROG_TEST_RUN live frames on a veth, .*\\)")),
                plain.out());
        assertTrue(plain.out().lines().anyMatch(l -> l.matches("jxdp/kernel: [0-9.]+ \\(Mpps, both by wall clock\\)")), plain.out());
    }

    /**
     * A test run repeats one frame: with IMIX the kernel runs the three sizes in turn (7:4:1 of the
     * million frames per worker), with a capture its distinct frames in their proportions; the mode
     * says which. A capture record the live-frames run cannot take is refused before jxdp runs.
     */
    @Test
    void kernelRunsMixedTrafficAsItsFramesInTurn() throws Exception {
        assumeKernel();
        Cli r = Cli.run("-j", "bench", "--xdp", Cli.object("xdp_drop"), "--gen", "size=imix,flows=4", "--count", "20000", "--kernel");
        assertEquals(0, r.status(), r.out() + r.err());
        JsonNode k = new ObjectMapper().readTree(r.out()).get("kernel");
        assertEquals("BPF_PROG_TEST_RUN live frames on a veth, 1000000 frames per worker, IMIX: 64-, 594- and 1518-byte frames in turn, 7:4:1",
                k.get("mode").asText());
        assertTrue(k.get("ns_per_packet").get(0).asDouble() > 0 && k.get("mpps").asDouble() > 0, k.toString());
        // a call per frame of the mix, each with its set-up: the kernel's rate is its test runs' own, and says so
        assertEquals("test run time", k.get("mpps_by").asText());
        assertEquals(1e3 / k.get("ns_per_packet").get(0).asDouble(), k.get("mpps").asDouble(), 1e-6);
        // icmp-ping.pcap: 12 frames, no two alike (pcap-corpus/README.md: an ARP request and reply, 5 echo requests and replies)
        Cli p = Cli.run("bench", "--xdp", Cli.object("xdp_drop"), "--pcap", Cli.root().resolve("pcap-corpus/icmp-ping.pcap").toString(),
                "--duration", "1s", "--warmup", "0s", "--kernel");
        assertEquals(0, p.status(), p.out() + p.err());
        assertTrue(p.out().lines().anyMatch(l -> l.matches("kernel: +[0-9.]+ Mpps, [0-9.]+ ns/packet per worker \\(BPF_PROG_TEST_RUN live frames on a veth, "
                + "[0-9]+ frames per worker, the capture's 12 distinct frames in turn, in their proportions\\)")), p.out());
        assertTrue(p.out().lines().anyMatch(l -> l.matches("jxdp/kernel: [0-9.]+ \\(Mpps, jxdp's by wall clock, the kernel's by its test runs' own times\\)")),
                p.out());
        Cli big = Cli.run("bench", "--xdp", Cli.object("xdp_drop"), "--pcap", Cli.root().resolve("pcap-corpus/tcp-http.pcap").toString(), "--kernel");
        assertEquals(1, big.status());
        assertEquals("", big.out());
        assertTrue(big.err().matches("Error: --kernel: record [0-9]+ of .*tcp-http.pcap is [0-9]+ bytes; the kernel's live-frames test run takes 14 to 3520\n"),
                big.err());
    }

    /**
     * tc egress on both sides: jxdp bench attaches it to eth0 and eth1, the kernel reference to in0 and
     * out0, which have eth0's and eth1's ifindexes, so tc_redirect_port's bpf_redirect(3) at tc ingress
     * sends each packet through the same egress program on both. The kernel's veth counters show it
     * ran: with tc_drop at egress nothing leaves out0, with tc_ok everything does.
     */
    @Test
    void kernelRunsTcEgressWhereJxdpDoes() throws Exception {
        assumeKernel();
        Cli r = Cli.run("-j", "bench", "--xdp", Cli.object("xdp_pass"), "--tc-ingress", Cli.object("tc_redirect_port"), "--tc-egress",
                Cli.object("tc_drop"), "--count", "20000", "--kernel");
        assertEquals(0, r.status(), r.out() + r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals("{\"TC_ACT_REDIRECT\":20000}", j.get("verdicts").get("tc_ingress").toString(), j.toString());
        assertEquals("{\"TC_ACT_SHOT\":20000}", j.get("verdicts").get("tc_egress").toString(), j.toString());
        assertTrue(j.get("kernel").get("ns_per_packet").get(0).asDouble() > 0, j.toString());

        byte[] frame = Traffic.Generated.flowZeroFrame(60);
        Map<String, Long> leftOut0 = new TreeMap<>();
        for (String egress : List.of("tc_drop", "tc_ok")) {
            var setup = new KernelLiveRun.Setup(Path.of(Cli.object("xdp_pass")), "xdp_pass",
                    new KernelLiveRun.TcProgram(Path.of(Cli.object("tc_redirect_port")), "tc"),
                    new KernelLiveRun.TcProgram(Path.of(Cli.object(egress)), "tc"), null, 1500, Path.of(Cli.object("xdp_drop")));
            try (var live = KernelLiveRun.open(setup, "bnk")) {
                long in0 = live.txPackets("in0");
                long out0 = live.txPackets("out0");
                live.run(frame, 10_000, 1, 0);
                leftOut0.put(egress, live.txPackets("out0") - out0);
                assertEquals(in0, live.txPackets("in0"), "nothing goes back out of the receiving port");
            }
        }
        assertEquals(Map.of("tc_drop", 0L, "tc_ok", 10_000L), leftOut0);
    }

    /**
     * The kernel reference's veths take --mtu: a redirect of a 3000-byte frame leaves out0 with an MTU
     * of 2982 and not with 2981 (MTU + 18, as BenchCommandTest finds jxdp's eth1 takes).
     */
    @Test
    void theKernelsVethsHoldRedirectsToTheMtu() throws Exception {
        assumeKernel();
        byte[] frame = Traffic.Generated.flowZeroFrame(3000);
        Map<Integer, Long> leftOut0 = new TreeMap<>();
        for (int mtu : new int[] {2982, 2981}) {
            var setup = new KernelLiveRun.Setup(Path.of(Cli.object("xdp_redirect_port")), "xdp_redirect_port", null, null, null, mtu,
                    Path.of(Cli.object("xdp_drop")));
            try (var live = KernelLiveRun.open(setup, "bnk")) {
                long before = live.txPackets("out0");
                live.run(frame, 1000, 1, 0);
                leftOut0.put(mtu, live.txPackets("out0") - before);
            }
        }
        assertEquals(Map.of(2982, 1000L, 2981, 0L), leftOut0);
    }

    /** The records of a classic pcap file this machine wrote (little-endian: 24-byte header, 16 per record). */
    private static List<byte[]> records(Path pcap) throws java.io.IOException {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(Files.readAllBytes(pcap)).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        List<byte[]> frames = new java.util.ArrayList<>();
        b.position(24);
        while (b.remaining() >= 16) {
            b.position(b.position() + 8);
            int captured = b.getInt();
            b.getInt();
            byte[] f = new byte[captured];
            b.get(f);
            frames.add(f);
        }
        return frames;
    }

    private static void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, String.join(" ", cmd) + ": " + out);
    }
}
