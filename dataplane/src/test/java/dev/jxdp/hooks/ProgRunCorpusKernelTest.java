package dev.jxdp.hooks;

import dev.jxdp.exec.ExecutionException;
import dev.jxdp.kernel.KernelComparisons;
import dev.jxdp.kernel.PossibleCpus;
import dev.jxdp.load.Clock;
import dev.jxdp.load.LoadedObject;
import dev.jxdp.obj.LoadOptions;
import dev.jxdp.obj.ObjectLoader;
import dev.jxdp.obj.ObjectSpec;
import dev.jxdp.obj.ProgramSpec;
import dev.jxdp.obj.ProgramType;
import dev.jxdp.kernel.CpuPin;
import dev.jxdp.testing.Bpftool;
import dev.jxdp.testing.Repo;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * What {@code jxdp prog run} does against {@code bpftool prog run}: every XDP and tc program of
 * programs/bin (bar the two legacy-map objects libbpf refuses) on every frame of a set (IPv4 and IPv6;
 * TCP, UDP, ICMP; 802.1Q and QinQ tags; runts of 13 and 14 bytes; 1500-byte and 9000-byte jumbo frames;
 * and the frames of programs/frames), each with a context (XDP: ingress on lo; tc: mark, priority and
 * cb set), in the same order on CPU 0 so that map state evolves alike. Compared: the errno, or
 * retval, data_out and ctx_out. The kernel side is libbpf's load (bpftool prog loadall, maps pinned,
 * so prog arrays keep their programs) and BPF_PROG_TEST_RUN through bpftool.
 */
class ProgRunCorpusKernelTest {
    private static final Set<String> LEGACY = Set.of("xdp_legacy_ethertype_filter.o", "tc_iproute2_dscp_classifier.o");

    static Map<String, byte[]> frames() throws Exception {
        Map<String, byte[]> f = new LinkedHashMap<>();
        f.put("v4_udp", TestFrames.v4(TestFrames.UDP, 22));
        f.put("v4_tcp_syn", TestFrames.v4(TestFrames.TCP, 0));
        f.put("v4_icmp_echo", TestFrames.v4(TestFrames.ICMP, 32));
        f.put("v6_udp", TestFrames.v6(TestFrames.UDP, 16));
        f.put("v6_tcp_syn", TestFrames.v6(TestFrames.TCP, 0));
        f.put("v6_icmp_echo", TestFrames.v6(TestFrames.ICMP, 32));
        byte[] ip = TestFrames.ipv4(TestFrames.UDP, TestFrames.l4(TestFrames.UDP, 22, false));
        f.put("vlan_v4_udp", TestFrames.vlan(100, 0x0800, ip));
        byte[] inner = TestFrames.vlan(200, 0x0800, ip);
        byte[] qinq = TestFrames.concat(Arrays.copyOf(inner, 12), new byte[] {(byte) 0x88, (byte) 0xa8, 0, 10},
                Arrays.copyOfRange(inner, 12, inner.length));
        f.put("qinq_v4_udp", qinq);
        f.put("runt_13", Arrays.copyOf(TestFrames.v4(TestFrames.UDP, 22), 13));
        f.put("eth_only_14", Arrays.copyOf(TestFrames.v4(TestFrames.UDP, 22), 14));
        f.put("v4_1500", TestFrames.sized(1500));
        f.put("jumbo_9000", TestFrames.sized(9000));
        try (var s = Files.list(Repo.root().resolve("programs/frames"))) {
            for (Path p : s.sorted().toList()) {
                f.put(p.getFileName().toString().replace(".bin", ""), Files.readAllBytes(p));
            }
        }
        return f;
    }

    static byte[] context(ProgramType type, int frameLength) {
        if (type == ProgramType.XDP) {
            return ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN).putInt(0).putInt(frameLength).putInt(0).putInt(1).array();
        }
        return ByteBuffer.allocate(192).order(ByteOrder.LITTLE_ENDIAN).putInt(8, 0x2a).putInt(32, 3).putInt(48, 0x11223344)
                .putInt(64, 0x55).array();
    }

    @TestFactory
    Stream<DynamicTest> progRunIsBpftoolProgRun() {
        return Repo.programObjects().stream().filter(p -> !LEGACY.contains(p.getFileName().toString()))
                .map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> compare(p)));
    }

    private static void compare(Path object) throws Exception {
        String reason = Bpftool.unavailableReason();
        KernelComparisons.assume(reason == null, reason);
        ObjectSpec spec = ObjectLoader.load(object, LoadOptions.defaults());
        Map<String, byte[]> frames = frames();
        List<String> kernel = new ArrayList<>();
        List<String> jxdp = new ArrayList<>();
        try (CpuPin pinned = CpuPin.to(0); Bpftool bt = new Bpftool(object)) {
            for (ProgramSpec p : spec.programs()) {
                for (Map.Entry<String, byte[]> f : frames.entrySet()) {
                    byte[] ctx = context(p.type(), f.getValue().length);
                    Bpftool.CtxResult r = bt.runProgram(p.name(), f.getValue(), ctx, 1);
                    kernel.add(line(p, f.getKey(), r.error() != null ? errno(r.error())
                            : describe(r.retval(), r.dataOut(), r.ctxOut())));
                }
            }
        }
        LoadedObject.Options options = LoadedObject.Options.defaults().withWorkers(PossibleCpus.count()).withClock(Clock.fixed(0))
                .withProvider(PacketHelpers.INSTANCE);
        try (CpuPin pinned = CpuPin.to(0); LoadedObject o = LoadedObject.load(spec, options)) {
            for (ProgramSpec p : spec.programs()) {
                for (Map.Entry<String, byte[]> f : frames.entrySet()) {
                    byte[] ctx = context(p.type(), f.getValue().length);
                    String outcome;
                    try {
                        ProgTestRun.Result r = ProgTestRun.run(o.program(p.name()), ProgTestRun.Input.of(f.getValue()).withCtx(ctx),
                                Network.loopback());
                        outcome = describe(r.retval(), r.dataOut(), r.ctxOut());
                    } catch (TestRunException e) {
                        outcome = "errno " + e.strerror();
                    } catch (ExecutionException e) {
                        outcome = "fault " + e.getMessage();
                    }
                    jxdp.add(line(p, f.getKey(), outcome));
                }
            }
        }
        List<String> differences = new ArrayList<>();
        for (int i = 0; i < kernel.size(); i++) {
            if (!kernel.get(i).equals(jxdp.get(i))) {
                differences.add("kernel " + clip(kernel.get(i)) + "\n  jxdp " + clip(jxdp.get(i)));
            }
        }
        org.junit.jupiter.api.Assertions.assertEquals("", String.join("\n", differences.subList(0, Math.min(8, differences.size()))),
                object.getFileName() + ": " + differences.size() + " of " + kernel.size() + " runs differ");
    }

    private static String clip(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }

    private static String errno(String bpftoolError) {
        return "errno " + bpftoolError.replaceFirst("^Error: failed to run program: ", "");
    }

    private static String line(ProgramSpec p, String frame, String outcome) {
        return p.name() + " " + frame + ": " + outcome;
    }

    private static String describe(long retval, byte[] data, byte[] ctx) {
        return "retval " + retval + " data " + data.length + " " + HexFormat.of().formatHex(data) + " ctx "
                + (ctx == null ? "-" : HexFormat.of().formatHex(ctx));
    }
}
