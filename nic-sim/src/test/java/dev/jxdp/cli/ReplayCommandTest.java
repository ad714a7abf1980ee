package dev.jxdp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jxdp.kernel.KernelComparisons;
import dev.jxdp.nic.pipeline.Captures;
import dev.jxdp.nic.pipeline.KernelOracle;
import dev.jxdp.nic.testing.Cmd;
import dev.jxdp.kernel.CpuPin;
import dev.jxdp.testing.Bpftool;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code jxdp replay}: every capture of pcap-corpus/ through programs of programs/bin, the outcome
 * files and the summary's counts checked against the kernel's verdicts and data_out for the same
 * frames ({@link KernelOracle}); tcpdump reads every file written; bad input fails with one line;
 * SIGTERM mid-replay leaves valid files; SIGTERM or SIGINT prints the summary and dumps the maps.
 */
@Timeout(300)
class ReplayCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> OUTCOMES = List.of("aborted.pcap", "drop.pcap", "pass.pcap", "tx.pcap");

    @TempDir
    Path tmp;

    static List<Path> corpus() throws IOException {
        try (Stream<Path> s = Files.list(Cli.root().resolve("pcap-corpus"))) {
            return s.filter(p -> p.toString().endsWith(".pcap") || p.toString().endsWith(".pcapng")).sorted().toList();
        }
    }

    /** tcpdump reads the file to its end without complaint; returns its records. */
    static long tcpdumpReads(Path file) {
        Cmd.Result r = Cmd.run("tcpdump", "-r", file.toString(), "-n", "-q");
        assertEquals(0, r.status(), file + ": " + r.err());
        assertFalse(r.err().contains("truncated"), file + ": " + r.err());
        return r.out().lines().count();
    }

    @TestFactory
    Stream<DynamicTest> everyCaptureEndsWhereTheKernelSendsIt() throws Exception {
        List<DynamicTest> tests = new ArrayList<>();
        for (String prog : List.of("xdp_subprog_udp_filter", "xdp_syn_mss_guard", "xdp_dns_amp_guard", "xdp_icmp_echo")) {
            for (Path capture : corpus()) {
                tests.add(DynamicTest.dynamicTest(prog + " " + capture.getFileName(), () -> replayMatchesKernel(prog, capture)));
            }
        }
        return tests.stream();
    }

    private void replayMatchesKernel(String prog, Path capture) throws Exception {
        List<byte[]> frames = Captures.frames(capture);
        List<KernelOracle.Run> kernel = KernelOracle.xdp(Cli.root().resolve("programs/bin/" + prog + ".o"), programName(prog), frames);
        Path dir = tmp.resolve(prog + "-" + capture.getFileName());
        Cli r = Cli.run("replay", capture.toString(), "--xdp", Cli.object(prog), "--topspeed", "--out-dir", dir.toString(), "-j");
        assertEquals(0, r.status(), r.err());
        Map<String, List<String>> got = new TreeMap<>();
        for (String f : OUTCOMES) {
            assertEquals(Captures.frames(dir.resolve(f)).size(), tcpdumpReads(dir.resolve(f)), f);
            got.put(f, KernelOracle.hex(Captures.frames(dir.resolve(f))));
        }
        Map<String, List<String>> expected = KernelOracle.byOutcome(kernel);
        assertEquals(expected, got);
        // the summary counts the same packets and bytes
        JsonNode summary = JSON.readTree(r.out());
        assertEquals(frames.size(), summary.get("packets").asLong());
        for (String f : OUTCOMES) {
            String outcome = f.replace(".pcap", "");
            long bytes = expected.get(f).stream().mapToLong(h -> h.length() / 2).sum();
            assertEquals(expected.get(f).size(), summary.at("/outcomes/" + outcome + "/packets").asLong(), outcome);
            assertEquals(bytes, summary.at("/outcomes/" + outcome + "/bytes").asLong(), outcome);
        }
        assertEquals(frames.size(), summary.at("/hooks/0/runs").asLong());
    }

    private static String programName(String object) {
        return switch (object) {
            case "xdp_subprog_udp_filter" -> "xdp_udp_port_filter";
            default -> object;
        };
    }

    @Test
    void xdpAndTcIngressFromOneObjectShareTheMetadata() throws Exception {
        // xdp_store_meta leaves 8 bytes of metadata (the kernel's data_out starts with them), tc_meta_to_mark
        // reads them at tc ingress (the kernel's verdict: TC_ACT_OK), and the host gets the frame without
        Path capture = Cli.root().resolve("pcap-corpus/udp-dns.pcap");
        Path object = Cli.root().resolve("programs/bin/xdp_tc_meta_handoff.o");
        List<byte[]> frames = Captures.frames(capture);
        List<KernelOracle.Run> xdp = KernelOracle.xdp(object, "xdp_store_meta", frames);
        List<KernelOracle.Run> tc = KernelOracle.xdp(object, "tc_meta_to_mark", frames);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < frames.size(); i++) {
            assertEquals(2, xdp.get(i).retval());
            assertEquals(0, tc.get(i).retval());
            byte[] out = xdp.get(i).dataOut();
            expected.add(KernelOracle.hex(java.util.Arrays.copyOfRange(out, 8, out.length)));
        }
        Cli r = Cli.run("replay", capture.toString(), "--xdp", object + ":xdp", "--tc-ingress", object + ":tc_meta_to_mark", "--topspeed",
                "--out-dir", tmp.toString(), "-j");
        assertEquals(0, r.status(), r.err());
        assertEquals(expected, KernelOracle.hex(Captures.frames(tmp.resolve("pass.pcap"))));
        JsonNode hooks = JSON.readTree(r.out()).get("hooks");
        assertEquals("tc-ingress", hooks.get(1).get("hook").asText());
        assertEquals(frames.size(), hooks.get(1).at("/verdicts/TC_ACT_OK").asLong());
    }

    @Test
    void theMapsDumpIsBpftoolsAfterTheSameFrames() throws Exception {
        // every frame on worker 0 (one queue), the kernel's on CPU 0: the per-CPU slots must agree
        Path capture = Cli.root().resolve("pcap-corpus/fragments.pcap");
        Path object = Cli.root().resolve("programs/bin/xdp_proto_counter.o");
        String reason = Bpftool.unavailableReason();
        KernelComparisons.assume(reason == null, reason);
        JsonNode kernel;
        try (CpuPin pinned = CpuPin.to(0); Bpftool bt = new Bpftool(object)) {
            for (byte[] f : Captures.frames(capture)) {
                bt.runProgram("xdp_count_protocols", f, 1);
            }
            kernel = bt.dump("proto_stats");
        }
        int cpus = kernel.get(0).get("values").size();
        Path dump = tmp.resolve("maps.json");
        Cli r = Cli.run("replay", capture.toString(), "--xdp", object.toString(), "--topspeed", "--workers", Integer.toString(cpus),
                "--queues", "1", "--dump-maps", dump.toString());
        assertEquals(0, r.status(), r.err());
        JsonNode ours = JSON.readTree(dump.toFile()).get("proto_stats");
        assertEquals(kernel.size(), ours.size());
        for (int i = 0; i < kernel.size(); i++) {
            assertEquals(kernel.get(i).get("key"), ours.get(i).get("key"));
            assertEquals(kernel.get(i).get("values"), ours.get(i).get("values"), "entry " + i);
        }

        // the kernel's dump (every possible CPU, all but CPU 0 idle) starts a one-worker replay: nothing is
        // lost, so it is taken, and the same frames again double CPU 0's counts
        Path kernelDump = tmp.resolve("kernel.json");
        Files.writeString(kernelDump, "{\"proto_stats\": " + kernel + "}");
        Path again = tmp.resolve("again.json");
        Cli one = Cli.run("replay", capture.toString(), "--xdp", object.toString(), "--topspeed", "--maps", kernelDump.toString(),
                "--dump-maps", again.toString());
        assertEquals(0, one.status(), one.err());
        JsonNode doubled = JSON.readTree(again.toFile()).get("proto_stats");
        for (int i = 0; i < kernel.size(); i++) {
            JsonNode k = kernel.get(i).at("/values/0/value");
            JsonNode d = doubled.get(i).at("/values/0/value");
            assertEquals(2 * le64(k, 0), le64(d, 0), "entry " + i + ": packets");
            assertEquals(2 * le64(k, 8), le64(d, 8), "entry " + i + ": bytes");
        }
        if (cpus > 1) {
            // a value on CPU 1 has no worker to go to with one: refused, saying how many workers would take it
            Files.writeString(kernelDump, "{\"proto_stats\": " + kernel.toString().replaceFirst("(\"cpu\":1,\"value\":\\[)\"0x00\"", "$1\"0x01\"") + "}");
            Cli busy = Cli.run("replay", capture.toString(), "--xdp", object.toString(), "--topspeed", "--maps", kernelDump.toString());
            assertEquals(1, busy.status(), busy.out());
            assertEquals("Error: --maps: map 'proto_stats' has a value for CPU 1 and jxdp 1 worker (worker i holds CPU i's value: run with --workers "
                    + cpus + ")\n", busy.err());
        }
    }

    @Test
    void aMapsDumpReadsBackAsTheNextReplaysStart() throws Exception {
        // worked example: xdp_proto_counter counts per protocol; replaying the same capture again from
        // the first run's dump doubles every count
        Path capture = Cli.root().resolve("pcap-corpus/icmp-ping.pcap");
        Path first = tmp.resolve("first.json");
        Path second = tmp.resolve("second.json");
        String object = Cli.object("xdp_proto_counter");
        assertEquals(0, Cli.run("replay", capture.toString(), "--xdp", object, "--topspeed", "--dump-maps", first.toString()).status());
        Cli r = Cli.run("replay", capture.toString(), "--xdp", object, "--topspeed", "--maps", first.toString(), "--dump-maps", second.toString());
        assertEquals(0, r.status(), r.err());
        JsonNode a = JSON.readTree(first.toFile()).get("proto_stats");
        JsonNode b = JSON.readTree(second.toFile()).get("proto_stats");
        // protocol 1 (ICMP): struct proto_stats {u64 packets; u64 bytes} on CPU 0, 10 echo frames of 98 bytes
        assertEquals(10, le64(a.get(1).at("/values/0/value"), 0));
        assertEquals(20, le64(b.get(1).at("/values/0/value"), 0));
        assertEquals(2 * 980, le64(b.get(1).at("/values/0/value"), 8));
    }

    private static long le64(JsonNode bytes, int at) {
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = v << 8 | Integer.decode(bytes.get(at + i).asText());
        }
        return v;
    }

    @Test
    void aFilterLetsInWhatTcpdumpSelects() throws Exception {
        Path capture = Cli.root().resolve("pcap-corpus/ipv6-nd-ping.pcap");
        Path selected = tmp.resolve("selected.pcap");
        assertEquals(0, Cmd.run("tcpdump", "-r", capture.toString(), "-w", selected.toString(), "icmp6 and ip6[40] == 128").status());
        Cli r = Cli.run("replay", capture.toString(), "--topspeed", "--out-dir", tmp.toString(), "--filter", "icmp6 and ip6[40] == 128");
        assertEquals(0, r.status(), r.err());
        List<byte[]> want = Captures.frames(selected);
        assertEquals(KernelOracle.hex(want), KernelOracle.hex(Captures.frames(tmp.resolve("pass.pcap"))), "no program: everything passes");
        assertTrue(r.out().contains("Filtered out: " + (Captures.frames(capture).size() - want.size()) + " packets"), r.out());
    }

    @Test
    void severalWorkersAndQueuesLoseNothing() throws Exception {
        Path capture = Cli.root().resolve("pcap-corpus/tcp-http.pcap");
        Cli r = Cli.run("replay", capture.toString(), "--xdp", Cli.object("xdp_pass"), "--topspeed", "--workers", "2", "--queues", "4",
                "--loop", "3", "--out-dir", tmp.toString(), "-j");
        assertEquals(0, r.status(), r.err());
        List<String> in = KernelOracle.hex(Captures.frames(capture));
        List<String> want = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            want.addAll(in);
        }
        assertEquals(want.stream().sorted().toList(), KernelOracle.hex(Captures.frames(tmp.resolve("pass.pcap"))).stream().sorted().toList());
        JsonNode s = JSON.readTree(r.out());
        assertEquals(4, s.get("queues").size());
        long perQueue = 0;
        for (JsonNode q : s.get("queues")) {
            perQueue += q.get("packets").asLong();
            assertEquals(q.get("queue").asInt() % 2, q.get("worker").asInt());
        }
        assertEquals(3L * in.size(), perQueue);
        assertEquals(3, s.get("loops").asInt());
    }

    // ---- bad input: one line on stderr, exit 1 (2 for usage), no stack trace

    private static void oneLine(Cli r, int status, String expected) {
        assertEquals(status, r.status(), r.out() + r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("Error: ") && r.err().contains(expected), r.err());
    }

    @Test
    void aTruncatedCaptureKeepsWhatCameBeforeAndSaysWhere() throws Exception {
        Path cut = tmp.resolve("cut.pcap");
        byte[] whole = Files.readAllBytes(Cli.root().resolve("pcap-corpus/icmp-ping.pcap"));
        Files.write(cut, java.util.Arrays.copyOf(whole, 500));
        Path out = tmp.resolve("out");
        Cli r = Cli.run("replay", cut.toString(), "--topspeed", "--out-dir", out.toString());
        // worked example: records of 24 + 16 + n bytes; record 6 starts at byte 482 and claims 98 bytes, 2 remain
        oneLine(r, 1, cut + ": record 6 at byte offset 482: truncated dump file");
        assertEquals(5, tcpdumpReads(out.resolve("pass.pcap")), "the five whole records went through");
    }

    @Test
    void aLinkTypeOtherThanEthernetIsRefusedByName() throws Exception {
        Path raw = tmp.resolve("raw.pcap");
        ByteBuffer b = ByteBuffer.allocate(24 + 16 + 20).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(101); // LINKTYPE_RAW
        b.putInt(0).putInt(0).putInt(20).putInt(20).put(new byte[] {0x45, 0, 0, 20});
        Files.write(raw, b.array());
        oneLine(Cli.run("replay", raw.toString()), 1, "link type RAW (101), but jxdp ports carry Ethernet frames");
    }

    @Test
    void aBadFilterIsLibpcapsSyntaxError() {
        Path capture = Cli.root().resolve("pcap-corpus/icmp-ping.pcap");
        oneLine(Cli.run("replay", capture.toString(), "--filter", "icmp and"), 1, "--filter 'icmp and': can't parse filter expression: syntax error");
    }

    @Test
    void aProgramThatIsNotThereIsNamedWithThoseThatAre() {
        Path capture = Cli.root().resolve("pcap-corpus/icmp-ping.pcap");
        oneLine(Cli.run("replay", capture.toString(), "--xdp", Cli.object("xdp_icmp_echo") + ":nosuch"), 1,
                "--xdp: no XDP program 'nosuch' in " + Cli.object("xdp_icmp_echo") + " (its XDP programs: xdp_icmp_echo in xdp)");
        oneLine(Cli.run("replay", capture.toString(), "--tc-ingress", Cli.object("xdp_icmp_echo")), 1, "it has no tc program");
        oneLine(Cli.run("replay", capture.toString(), "--xdp", Cli.object("xdp_tailcall_dispatch")), 1, "has 4 XDP programs");
    }

    @Test
    void missingFilesAreNamed() {
        oneLine(Cli.run("replay", tmp.resolve("none.pcap").toString()), 1, tmp.resolve("none.pcap") + ": no such file");
        Path capture = Cli.root().resolve("pcap-corpus/icmp-ping.pcap");
        oneLine(Cli.run("replay", capture.toString(), "--xdp", tmp.resolve("none.o").toString()), 1, "none.o");
        oneLine(Cli.run("replay", capture.toString(), "--topspeed", "--pps", "10"), 2, "mutually exclusive");
    }

    /** A value an option cannot take is a usage error, exit 2, said as the user wrote it. */
    @Test
    void optionValuesOutOfRangeAreUsageErrors() {
        String capture = Cli.root().resolve("pcap-corpus/icmp-ping.pcap").toString();
        String help = " (see 'jxdp replay --help')\n";
        assertEquals("Error: --workers 0: 1 to 256" + help, usage(Cli.run("replay", capture, "--workers", "0")));
        assertEquals("Error: --loop -1: 0 (for ever) or more" + help, usage(Cli.run("replay", capture, "--loop", "-1")));
        assertEquals("Error: --pps must be a positive number, not 0" + help, usage(Cli.run("replay", capture, "--pps", "0")));
        assertEquals("Error: --multiplier must be a positive number, not -2.5" + help, usage(Cli.run("replay", capture, "--multiplier", "-2.5")));
        assertEquals("Error: --mbps must be a positive number, not 0" + help, usage(Cli.run("replay", capture, "--mbps", "0")));
        assertEquals("Error: unknown program type 'foo' (expected xdp, tc or action)" + help,
                usage(Cli.run("replay", capture, "--xdp", Cli.object("xdp_icmp_echo"), "--type", "foo")));
    }

    private static String usage(Cli r) {
        assertEquals(2, r.status(), r.out() + r.err());
        assertEquals("", r.out(), "nothing replayed");
        return r.err();
    }

    /** Outputs that cannot be written are said before the replay: an empty --out-dir is not the working directory. */
    @Test
    void unwritableOutputsAreRefusedBeforeTheReplay() throws Exception {
        Path capture = Cli.root().resolve("pcap-corpus/icmp-ping.pcap");
        Cli empty = Cli.run("replay", capture.toString(), "--out-dir", "");
        assertEquals(1, empty.status(), empty.out());
        assertEquals("Error: --out-dir '': an empty path\n", empty.err());
        assertEquals("", empty.out(), "nothing replayed");
        assertFalse(Files.exists(Path.of("pass.pcap")), "nothing written where the command ran");
        Path file = Files.writeString(tmp.resolve("file"), "");
        assertEquals("Error: " + file + " (--out-dir): not a directory\n", Cli.run("replay", capture.toString(), "--out-dir", file.toString()).err());
        assertEquals("Error: " + tmp + " (--dump-maps): is a directory\n",
                Cli.run("replay", capture.toString(), "--xdp", Cli.object("xdp_pass"), "--dump-maps", tmp.toString()).err());
    }

    @Test
    void sigtermMidReplayLeavesValidFiles() throws Exception {
        Path out = tmp.resolve("out");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(List.of(java.toString(), "--enable-native-access=ALL-UNNAMED", "-Xmx256m", "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "replay",
                Cli.root().resolve("pcap-corpus/tcp-http.pcap").toString(), "--xdp", Cli.object("xdp_ipv4_filter"), "--topspeed",
                "--loop", "0", "--out-dir", out.toString()))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            Path pass = out.resolve("pass.pcap");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while ((!Files.exists(pass) || Files.size(pass) < 2_000_000) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(child.isAlive(), "mid-replay (a replay that loops for ever)");
            child.toHandle().destroy(); // SIGTERM
            assertTrue(child.waitFor(60, TimeUnit.SECONDS));
            assertTrue(tcpdumpReads(pass) > 100);
            for (String f : List.of("tx.pcap", "drop.pcap", "aborted.pcap")) {
                tcpdumpReads(out.resolve(f));
            }
        } finally {
            child.destroyForcibly();
        }
    }

    /**
     * tcpreplay interrupted stops sending and prints its statistics; so does a replay, SIGTERM (plain
     * summary) or SIGINT (-j): the summary says it was interrupted and counts what the files hold, the
     * maps are dumped after the last frame, and the status is the signal's (128 + N).
     */
    @ParameterizedTest(name = "SIG{0}")
    @ValueSource(strings = {"TERM", "INT"})
    void anInterruptedReplayPrintsItsSummaryAndDumpsItsMaps(String signal) throws Exception {
        Path out = tmp.resolve("out");
        Path maps = tmp.resolve("maps.json");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Xmx256m", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "replay", Cli.root().resolve("pcap-corpus/tcp-http.pcap").toString(), "--xdp", Cli.object("xdp_flow_counter"),
                "--loop", "0", "--pps", "1000", "--out-dir", out.toString(), "--dump-maps", maps.toString()));
        boolean json = signal.equals("INT");
        if (json) {
            cmd.add("-j");
        }
        Process child = new ProcessBuilder(cmd).redirectOutput(tmp.resolve("stdout").toFile()).redirectError(tmp.resolve("stderr").toFile())
                .start();
        try {
            int number = signal.equals("TERM") ? 15 : 2;
            if (number == 2) {
                // a JVM started with SIGINT ignored (a background job of a script) keeps it ignored
                String status = Files.readString(Path.of("/proc/" + child.pid() + "/status"));
                long ignored = Long.parseLong(status.lines().filter(l -> l.startsWith("SigIgn:")).findFirst().orElseThrow().substring(7).strip(), 16);
                assumeTrue((ignored & 2) == 0, "this test JVM was started with SIGINT ignored, and so is the replay");
            }
            // mid-replay: frames have reached pass.pcap (at 1000 pps, a few hundred kilobytes a second)
            Path pass = out.resolve("pass.pcap");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while ((!Files.exists(pass) || Files.size(pass) < 300_000) && child.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(child.isAlive(), "mid-replay (a replay that loops for ever); stderr: " + Files.readString(tmp.resolve("stderr")));
            Cmd.run("kill", "-" + signal, Long.toString(child.pid())).orFail();
            assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the replay did not stop on SIG" + signal);
            String stdout = Files.readString(tmp.resolve("stdout"));
            String stderr = Files.readString(tmp.resolve("stderr"));
            assertEquals(128 + number, child.exitValue(), "killed by SIG" + signal + ", after the summary; stdout: " + stdout + "stderr: " + stderr);
            assertEquals("", stderr);

            // the summary, as a finished replay prints it, saying it was interrupted
            long packets;
            long passed;
            if (json) {
                JsonNode summary = JSON.readTree(stdout);
                assertTrue(summary.path("interrupted").asBoolean(), stdout);
                packets = summary.get("packets").asLong();
                passed = summary.at("/outcomes/pass/packets").asLong();
                assertEquals(packets, summary.at("/hooks/0/runs").asLong(), stdout);
            } else {
                Matcher actual = Pattern.compile("Actual: (\\d+) packets \\(\\d+ bytes\\) replayed in [0-9.]+ seconds, \\d+ loops?, interrupted\n")
                        .matcher(stdout);
                assertTrue(actual.lookingAt(), stdout);
                packets = Long.parseLong(actual.group(1));
                Matcher pass1 = Pattern.compile("\npass +(\\d+) ").matcher(stdout);
                assertTrue(pass1.find(), stdout);
                passed = Long.parseLong(pass1.group(1));
            }
            assertTrue(packets > 50, "packets " + packets);
            assertEquals(packets, passed, "xdp_flow_counter passes every frame");

            // every file flushed whole, holding what the summary counts
            assertEquals(passed, tcpdumpReads(pass));
            for (String f : List.of("tx.pcap", "drop.pcap", "aborted.pcap")) {
                assertEquals(0, tcpdumpReads(out.resolve(f)), f);
            }

            // the maps as bpftool dumps them, after the last frame: the flows' packets are the IPv4 frames passed
            JsonNode flows = JSON.readTree(maps.toFile()).get("flows");
            assertTrue(flows != null && flows.isArray() && !flows.isEmpty(), Files.readString(maps));
            long counted = 0;
            for (JsonNode e : flows) {
                assertTrue(e.get("key").isArray() && e.get("value").isArray(), e.toString());
                counted += le64(e.get("value"), 0);
            }
            Cmd.Result ipv4 = Cmd.run("tcpdump", "-r", pass.toString(), "-n", "-q", "ip");
            assertEquals(0, ipv4.status(), ipv4.err());
            assertEquals(ipv4.out().lines().count(), counted);
        } finally {
            child.destroyForcibly();
        }
    }
}
