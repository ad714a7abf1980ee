package dev.jxdp.nic.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jxdp.hooks.Hook;
import dev.jxdp.hooks.HookStats;
import dev.jxdp.load.LoadedObject;
import dev.jxdp.nic.Datapath;
import dev.jxdp.nic.PortConfig;
import dev.jxdp.nic.WorkerCounters;
import dev.jxdp.nic.port.pcap.Pacing;
import dev.jxdp.nic.port.pcap.PcapSink;
import dev.jxdp.nic.port.pcap.PcapSource;
import dev.jxdp.nic.testing.Cmd;
import dev.jxdp.obj.LoadOptions;
import dev.jxdp.obj.ObjectLoader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hooks' pipeline driving the NIC model: captures of pcap-corpus/ read by a pcap source port,
 * polled by workers, run through real objects of programs/bin, and written by pcap sink ports, one per
 * fate. Where the frames should go and what they should hold is the kernel's answer for the same
 * frames (BPF_PROG_TEST_RUN's return value and data_out, {@link KernelOracle}), or, where a test run
 * cannot show it (which port, which CPU), a worked example in the test.
 */
@Timeout(300)
class PipelineProcessorTest {
    @TempDir
    Path tmp;

    static Path object(String name) {
        return Cmd.repo().resolve("programs/bin/" + name + ".o");
    }

    static List<Path> captures() throws Exception {
        try (Stream<Path> s = Files.list(Cmd.repo().resolve("pcap-corpus"))) {
            return s.filter(p -> p.toString().endsWith(".pcap")).sorted().toList();
        }
    }

    /** A port ifindex 2 reading {@code capture} at top speed without loss; pass, tx, drop and aborted sinks in {@code dir}. */
    record Rig(PcapSource in, PcapSink pass, PcapSink tx, PcapSink drop, PcapSink aborted, PipelineProcessor proc) implements AutoCloseable {
        static Rig of(Path capture, Path dir, int workers, int queues, BiConsumer<PipelineProcessor.Builder, Rig> extra) {
            PcapSource in = new PcapSource("in", PortConfig.of(2).withQueues(queues, 1), capture,
                    PcapSource.Options.defaults().withPacing(new Pacing.TopSpeed()).withLossless(true));
            PcapSink tx = new PcapSink("tx", PortConfig.of(100), dir.resolve("tx.pcap"));
            PcapSink pass = new PcapSink("pass", PortConfig.of(101), dir.resolve("pass.pcap"));
            PcapSink drop = new PcapSink("drop", PortConfig.of(102), dir.resolve("drop.pcap"));
            PcapSink aborted = new PcapSink("aborted", PortConfig.of(103), dir.resolve("aborted.pcap"));
            PipelineProcessor.Builder b = PipelineProcessor.builder().workers(workers).port(in, tx).dropsTo(drop).abortsTo(aborted)
                    .latencySampling(1);
            Rig partial = new Rig(in, pass, tx, drop, aborted, null);
            if (extra != null) {
                extra.accept(b, partial);
            }
            return new Rig(in, pass, tx, drop, aborted, b.build());
        }

        /** Loads {@code object} for this pipeline (the caller closes it). */
        LoadedObject load(Path object) throws Exception {
            return LoadedObject.load(ObjectLoader.load(object, LoadOptions.defaults()), proc.objectOptions());
        }

        Datapath run() throws Exception {
            Datapath dp = proc.datapath().host(pass).build();
            try (dp) {
                dp.start();
                assertTrue(in.awaitFinished(120, TimeUnit.SECONDS), "the replay finished");
                for (int i = 0; i < 2000 && !dp.quiet(); i++) {
                    Thread.sleep(5);
                }
            }
            return dp;
        }

        /** Frees the ports' buffers also where the test failed before the datapath ran. */
        @Override
        public void close() {
            proc.datapath().build().close();
            pass.close();
        }
    }

    static Map<String, List<String>> outputs(Path dir) throws Exception {
        Map<String, List<String>> m = new java.util.TreeMap<>();
        for (String f : List.of("pass.pcap", "tx.pcap", "drop.pcap", "aborted.pcap")) {
            m.put(f, KernelOracle.hex(Captures.frames(dir.resolve(f))));
        }
        return m;
    }

    @TestFactory
    Stream<DynamicTest> everyCaptureGoesWhereTheKernelSendsIt() throws Exception {
        List<DynamicTest> tests = new ArrayList<>();
        for (String[] prog : new String[][] {{"xdp_pass", "xdp_pass"}, {"xdp_ipv4_filter", "xdp_ipv4_filter"},
                {"xdp_icmp_echo", "xdp_icmp_echo"}}) {
            for (Path capture : captures()) {
                tests.add(DynamicTest.dynamicTest(prog[0] + " " + capture.getFileName(), () -> {
                    List<byte[]> frames = Captures.frames(capture);
                    Map<String, List<String>> expected = KernelOracle.byOutcome(KernelOracle.xdp(object(prog[0]), prog[1], frames));
                    Path dir = Files.createDirectories(tmp.resolve(prog[0] + "-" + capture.getFileName()));
                    try (Rig rig = Rig.of(capture, dir, 1, 1, null); LoadedObject o = rig.load(object(prog[0]))) {
                        rig.proc().pipeline().attachXdp(rig.proc().port(rig.in()), o.program(prog[1]));
                        rig.run();
                        assertEquals(frames.size(), rig.proc().pipeline().stats(rig.proc().port(rig.in()), Hook.XDP).runs());
                    }
                    assertEquals(expected, outputs(dir));
                }));
            }
        }
        return tests.stream();
    }

    @Test
    void tcIngressReadsTheMetadataXdpLeftAndTheHostGetsTheFrameWithout() throws Exception {
        // (a tc test run takes frames of at most 3712 bytes: tcp-http's GSO frames are too long for it)
        Path capture = Cmd.repo().resolve("pcap-corpus/fragments.pcap");
        List<byte[]> frames = Captures.frames(capture);
        List<KernelOracle.Run> xdp = KernelOracle.xdp(object("xdp_tc_meta_handoff"), "xdp_store_meta", frames);
        List<KernelOracle.Run> tc = KernelOracle.xdp(object("xdp_tc_meta_handoff"), "tc_meta_to_mark", frames);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < frames.size(); i++) {
            assertEquals(2, xdp.get(i).retval(), "the kernel passes frame " + i);
            assertEquals(0, tc.get(i).retval(), "the kernel's tc verdict for frame " + i);
            // data_out of an XDP run starts with the 8 bytes of metadata; the host sees the frame after them
            expected.add(KernelOracle.hex(KernelOracle.strip(xdp.get(i).dataOut(), 8)));
        }
        try (Rig rig = Rig.of(capture, tmp, 1, 1, null); LoadedObject o = rig.load(object("xdp_tc_meta_handoff"))) {
            rig.proc().pipeline().attachXdp(rig.proc().port(rig.in()), o.program("xdp_store_meta"));
            rig.proc().pipeline().attachTc(rig.proc().port(rig.in()), Hook.TC_INGRESS, o.program("tc_meta_to_mark"));
            rig.run();
            HookStats ingress = rig.proc().pipeline().stats(rig.proc().port(rig.in()), Hook.TC_INGRESS);
            assertEquals(frames.size(), ingress.count("TC_ACT_OK"));
        }
        assertEquals(expected, KernelOracle.hex(Captures.frames(tmp.resolve("pass.pcap"))));
    }

    @Test
    void theL2SwitchFloodsThroughItsDevmapToEveryOtherPort() throws Exception {
        // icmp-ping.pcap: every frame arrives on one port (ifindex 2). The ARP request is broadcast: it is
        // flooded to the devmap's other ports, 3 and 4 (BPF_F_EXCLUDE_INGRESS leaves out 2). Every later
        // frame is unicast to a MAC learnt on port 2 already, so the switch drops it (same segment). The
        // kernel's verdicts for the same frames say which are which (its devmap is empty, so the
        // targets are the worked example's part).
        Path capture = Cmd.repo().resolve("pcap-corpus/icmp-ping.pcap");
        List<byte[]> frames = Captures.frames(capture);
        List<KernelOracle.Run> kernel = KernelOracle.xdp(object("xdp_l2_switch"), "xdp_l2_switch", frames);
        List<String> flooded = new ArrayList<>();
        List<String> dropped = new ArrayList<>();
        for (int i = 0; i < frames.size(); i++) {
            (kernel.get(i).retval() == 4 ? flooded : dropped).add(KernelOracle.hex(frames.get(i)));
        }
        assertEquals(Map.of(1, frames.size() - 1, 4, 1), KernelOracle.verdicts(kernel), "the worked example holds in the kernel");
        PcapSink p3 = new PcapSink("p3", PortConfig.of(3), tmp.resolve("p3.pcap"));
        PcapSink p4 = new PcapSink("p4", PortConfig.of(4), tmp.resolve("p4.pcap"));
        try (Rig rig = Rig.of(capture, tmp, 1, 1, (b, r) -> b.port(p3).port(p4)); LoadedObject o = rig.load(object("xdp_l2_switch"))) {
            for (int ifindex : new int[] {2, 3, 4}) {
                o.map("ports").update(le(ifindex), le(ifindex));
            }
            rig.proc().pipeline().attachXdp(rig.proc().port(rig.in()), o.program("xdp_l2_switch"));
            rig.run();
        }
        assertEquals(flooded, KernelOracle.hex(Captures.frames(tmp.resolve("p3.pcap"))));
        assertEquals(flooded, KernelOracle.hex(Captures.frames(tmp.resolve("p4.pcap"))));
        assertEquals(dropped, KernelOracle.hex(Captures.frames(tmp.resolve("drop.pcap"))));
        assertEquals(List.of(), Captures.frames(tmp.resolve("tx.pcap")), "nothing back out of the ingress port");
    }

    @Test
    void aCpumapRedirectHandsTheFrameToTheWorkerOfThatCpu() throws Exception {
        // xdp_cpu_steer sends IPv4 ICMP to the CPU in its cpumap's slot 1 and passes the rest; with slot 1
        // set, every ICMP frame (tcpdump counts them) is handed to worker 1, which takes it to the host.
        // Its per-CPU counter counts, for each worker, the frames that worker received from its queues.
        Path capture = Cmd.repo().resolve("pcap-corpus/icmp-ping.pcap");
        List<byte[]> frames = Captures.frames(capture);
        int icmp = Cmd.run("tcpdump", "-r", capture.toString(), "-n", "icmp").orFail().out().strip().split("\n").length;
        long[] seen = new long[2];
        Datapath dp;
        long[] perQueue = new long[4];
        try (Rig rig = Rig.of(capture, tmp, 2, 4, null); LoadedObject o = rig.load(object("xdp_cpu_steer"))) {
            o.map("cpus").update(le(1), ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(64).array()); // qsize 64, no program
            rig.proc().pipeline().attachXdp(rig.proc().port(rig.in()), o.program("xdp_cpu_steer"));
            dp = rig.run();
            ByteBuffer v = ByteBuffer.wrap(o.map("seen").lookup(le(0)).orElseThrow()).order(ByteOrder.LITTLE_ENDIAN);
            seen[0] = v.getLong(0);
            seen[1] = v.getLong(8);
            for (int q = 0; q < 4; q++) {
                perQueue[q] = rig.in().rxQueue(q).packets.get();
            }
        }
        WorkerCounters w0 = dp.worker(0).counters;
        WorkerCounters w1 = dp.worker(1).counters;
        assertEquals(icmp, w0.handedOver.get() + w1.handedOver.get(), "every ICMP frame handed over");
        assertEquals(frames.size(), w0.toHost.get() + w1.toHost.get(), "and all reach the host");
        long onWorker0 = 0;
        long onWorker1 = 0;
        for (int q = 0; q < 4; q++) {
            long n = perQueue[q];
            if (q % 2 == 0) {
                onWorker0 += n;
            } else {
                onWorker1 += n;
            }
        }
        assertEquals(onWorker0, seen[0], "per-CPU slot 0: the frames worker 0 polled");
        assertEquals(onWorker1, seen[1], "per-CPU slot 1: the frames worker 1 polled");
        List<String> host = KernelOracle.hex(Captures.frames(tmp.resolve("pass.pcap")));
        assertEquals(KernelOracle.hex(frames).stream().sorted().toList(), host.stream().sorted().toList(), "the host got every frame, unchanged");
    }

    static byte[] le(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
    }
}
