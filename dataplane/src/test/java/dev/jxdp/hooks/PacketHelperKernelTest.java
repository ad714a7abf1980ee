package dev.jxdp.hooks;

import dev.jxdp.kernel.KernelComparisons;
import dev.jxdp.load.ObjectComparison;
import dev.jxdp.testing.Clang;
import dev.jxdp.testing.Repo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The packet helpers against the kernel: each program of src/test/resources/packet-programs (see its
 * README) calls helpers at their edges and writes every result into .bss; in the kernel (bpftool) and
 * in jxdp (interpreter and JIT) every program runs on every frame, and the verdicts, the frames
 * afterwards and the .bss must be the kernel's. XDP programs get IPv4, IPv6, VLAN, a full linear frame
 * and a 9000-byte jumbo (fragments); tc programs the frames an skb test run takes.
 */
class PacketHelperKernelTest {

    static Map<String, byte[]> xdpFrames() {
        Map<String, byte[]> f = new LinkedHashMap<>();
        f.put("v4_udp", TestFrames.v4(TestFrames.UDP, 22));
        f.put("v6_tcp", TestFrames.v6(TestFrames.TCP, 12));
        f.put("vlan_v4_udp", TestFrames.vlan(100, 0x0800, TestFrames.ipv4(TestFrames.UDP, TestFrames.l4(TestFrames.UDP, 22, false))));
        f.put("v4_3520", TestFrames.sized(3520));
        f.put("jumbo_9000", TestFrames.sized(9000));
        return f;
    }

    static Map<String, byte[]> tcFrames() {
        Map<String, byte[]> f = new LinkedHashMap<>();
        f.put("v4_udp", TestFrames.v4(TestFrames.UDP, 22));
        f.put("v4_tcp", TestFrames.v4(TestFrames.TCP, 20));
        f.put("v6_udp", TestFrames.v6(TestFrames.UDP, 22));
        f.put("vlan_v4_udp", TestFrames.vlan(100, 0x0800, TestFrames.ipv4(TestFrames.UDP, TestFrames.l4(TestFrames.UDP, 22, false))));
        f.put("v4_1500", TestFrames.sized(1500));
        return f;
    }

    @TestFactory
    Stream<DynamicTest> packetHelpersAgreeWithTheKernel() throws Exception {
        Path dir = Repo.root().resolve("dataplane/src/test/resources/packet-programs");
        try (var files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".c")).sorted().toList().stream()
                    .map(src -> DynamicTest.dynamicTest(src.getFileName().toString(), () -> run(src)));
        }
    }

    private static void run(Path source) throws Exception {
        KernelComparisons.assume(Clang.clang().isPresent(), Clang.missingReason());
        Path tmp = Files.createTempDirectory("jxdp-packet-helpers");
        try {
            String name = source.getFileName().toString().replace(".c", "");
            Path object = Clang.compile(tmp, name, Files.readString(source));
            Map<String, byte[]> frames = name.startsWith("xdp") ? xdpFrames() : tcFrames();
            ObjectComparison.compare(object, new ObjectComparison.Plan(frames, 1, Set.of()));
        } finally {
            try (var s = Files.walk(tmp)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
