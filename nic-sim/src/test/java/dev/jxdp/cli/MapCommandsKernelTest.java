package dev.jxdp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jxdp.kernel.KernelComparisons;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code jxdp map dump|lookup|update|delete|getnext} against {@code bpftool map ...} on the same maps:
 * the object loaded by bpftool (pinned) and by jxdp, the same command, the same output, plain and
 * {@code -j}, on stdout, and the same error line on stderr. Exit statuses differ on purpose (jxdp's are
 * 0, 1 and 2; bpftool's are negated errnos). Maps whose values are kernel object ids (prog arrays,
 * map-in-maps) are left out, since jxdp's ids are the object's indexes.
 */
class MapCommandsKernelTest {
    private Path pins;

    @BeforeEach
    void needKernel() throws Exception {
        KernelComparisons.assumeKernel();
        KernelComparisons.assume(Files.isDirectory(Path.of("/sys/fs/bpf")), "no bpffs at /sys/fs/bpf");
        KernelComparisons.assume(bpftool("version").status() == 0, "bpftool is not installed (apt-get install bpftool)");
        pins = Path.of("/sys/fs/bpf/jxdp_mapcmd_" + ProcessHandle.current().pid() + "_" + System.nanoTime());
    }

    @AfterEach
    void unpin() throws IOException {
        if (pins != null && Files.exists(pins)) {
            try (Stream<Path> s = Files.walk(pins)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    record Run(int status, String out, String err) {}

    private static Run bpftool(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("bpftool"));
        cmd.addAll(List.of(args));
        Path err = Files.createTempFile("bpftool", ".err");
        try {
            Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
            String out = new String(p.getInputStream().readAllBytes());
            p.waitFor(60, TimeUnit.SECONDS);
            return new Run(p.exitValue(), out, Files.readString(err));
        } finally {
            Files.delete(err);
        }
    }

    /** Object, map, then the words after MAP: each case runs on a freshly loaded object on both sides. */
    static Stream<List<String>> cases() {
        return Stream.of(
                List.of("xdp_dns_amp_guard", "xdp_dns_.bss", "dump"),
                List.of("xdp_dns_amp_guard", "xdp_dns_.rodata", "dump"),
                List.of("xdp_dns_amp_guard", "xdp_dns_.data", "lookup", "key", "0", "0", "0", "0"),
                List.of("xdp_proto_counter", "proto_stats", "dump"),
                List.of("xdp_proto_counter", "proto_stats", "lookup", "key", "hex", "11", "00", "00", "00"),
                List.of("xdp_lpm_blocklist", "verdict_stats", "dump"),
                List.of("xdp_lpm_blocklist", "blocklist", "dump"),
                List.of("xdp_lpm_blocklist", "blocklist", "getnext"),
                List.of("xdp_lpm_blocklist", "blocklist", "lookup", "key", "24", "0", "0", "0", "10", "0", "0", "5"),
                List.of("xdp_lpm_blocklist", "blocklist", "lookup", "key", "24", "0", "0"),
                List.of("xdp_lpm_blocklist", "blocklist", "lookup", "key", "24", "0", "0", "0", "10", "0", "0", "5", "1"),
                List.of("xdp_lpm_blocklist", "blocklist", "lookup", "key", "24", "0", "0", "zz", "10", "0", "0", "5"),
                List.of("xdp_lpm_blocklist", "blocklist", "update", "key", "24", "0", "0", "0", "10", "0", "0", "0", "value", "1", "0", "0", "0"),
                List.of("xdp_lpm_blocklist", "blocklist", "update", "key", "33", "0", "0", "0", "10", "0", "0", "0", "value", "1", "0", "0", "0"),
                List.of("xdp_lpm_blocklist", "blocklist", "delete", "key", "24", "0", "0", "0", "10", "0", "0", "0"),
                List.of("xdp_lpm_blocklist", "verdict_stats", "update", "key", "7", "0", "0", "0", "value", "1", "2", "3", "4", "5", "6", "7", "8"),
                List.of("xdp_lpm_blocklist", "verdict_stats", "update", "key", "0", "0", "0", "0", "value", "1", "2", "3", "4", "5", "6", "7", "8", "noexist"),
                List.of("xdp_lpm_blocklist", "verdict_stats", "delete", "key", "0", "0", "0", "0"),
                List.of("xdp_lpm_blocklist", "verdict_stats", "getnext", "key", "1", "0", "0", "0"),
                List.of("xdp_lpm_blocklist", "verdict_stats", "getnext", "key", "0x7f", "0", "0", "0"),
                List.of("xdp_flow_counter", "flows", "dump"),
                List.of("xdp_flow_counter", "flows", "update", "key", "hex", "0a", "0", "0", "1", "0a", "0", "0", "2", "0", "35", "0", "35", "11", "0",
                        "0", "0", "value", "1", "0", "0", "0", "0", "0", "0", "0", "64", "0", "0", "0", "0", "0", "0", "0", "exist"),
                List.of("xdp_stats_epochs", "epoch_a", "lookup", "key", "255", "0", "0", "0"),
                List.of("xdp_l2_switch", "ports", "lookup", "key", "3", "0", "0", "0"),
                List.of("xdp_core_ctx_probe", "facts", "dump"),
                List.of("tc_rtp_jitter", "streams", "dump"),
                List.of("xdp_token_bucket_atomic", "totals", "dump"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void sameOutputAsBpftool(List<String> c) throws Exception {
        String object = Cli.object(c.get(0));
        String map = c.get(1);
        String cmd = c.get(2);
        List<String> rest = c.subList(3, c.size());
        for (boolean json : new boolean[] {false, true}) {
            unpin();
            Files.createDirectories(pins);
            Run load = bpftool("prog", "loadall", object, pins.resolve("progs").toString(), "pinmaps", pins.resolve("maps").toString());
            assertEquals(0, load.status(), load.err());
            List<String> k = new ArrayList<>();
            if (json) {
                k.add("-j");
            }
            k.addAll(List.of("map", cmd, "pinned", pins.resolve("maps").resolve(map.replace('.', '_')).toString()));
            k.addAll(rest);
            Run kernel = bpftool(k.toArray(String[]::new));
            List<String> j = new ArrayList<>();
            if (json) {
                j.add("-j");
            }
            j.addAll(List.of("map", cmd, object, map));
            j.addAll(rest);
            Cli jxdp = Cli.run(j.toArray(String[]::new));
            String what = String.join(" ", j);
            // bpftool -j reports errors as {"error": ...} on stdout; jxdp keeps its one-line stderr error.
            if (json && kernel.out().startsWith("{\"error\":")) {
                assertEquals(kernel.out().replaceAll("^\\{\"error\":\"(.*)\"\\}\\s*$", "Error: $1\n"), jxdp.err(), what);
                continue;
            }
            assertEquals(kernel.out(), jxdp.out(), what);
            assertEquals(kernel.err().lines().filter(l -> l.startsWith("Error:")).toList(), jxdp.err().lines().toList(), what);
            assertEquals(kernel.status() == 0, jxdp.status() == 0, what + ": success");
        }
    }
}
