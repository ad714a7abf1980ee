package dev.jxdp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jxdp.control.ControlServer;
import dev.jxdp.control.MapRegistry;
import dev.jxdp.control.MapsOnlyApi;
import dev.jxdp.control.RunFile;
import dev.jxdp.kernel.KernelComparisons;
import dev.jxdp.load.LoadedObject;
import dev.jxdp.obj.ObjectLoader;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jxdp map ... --instance NAME} against {@code bpftool map ...}: one object loaded by bpftool
 * (maps pinned) and served live by a control endpoint (as {@code jxdp switch} serves its maps), then
 * the same sequence of commands on both, each seeing what the ones before it left (unlike the object
 * file commands, which start fresh each time): the same stdout, the same error line, plain and -j.
 */
class InstanceMapCommandsKernelTest {
    private static final String INSTANCE = "swmaps";
    private Path pins;
    @TempDir
    Path runDir;
    private String oldRunDir;

    @BeforeEach
    void needKernel() throws Exception {
        KernelComparisons.assumeKernel();
        KernelComparisons.assume(Files.isDirectory(Path.of("/sys/fs/bpf")), "no bpffs at /sys/fs/bpf");
        KernelComparisons.assume(bpftool("version").status() == 0, "bpftool is not installed (apt-get install bpftool)");
        pins = Path.of("/sys/fs/bpf/sw_instmaps_" + ProcessHandle.current().pid() + "_" + System.nanoTime());
        oldRunDir = System.getProperty("jxdp.runDir");
        System.setProperty("jxdp.runDir", runDir.toString());
    }

    @AfterEach
    void cleanUp() throws IOException {
        if (oldRunDir == null) {
            System.clearProperty("jxdp.runDir");
        } else {
            System.setProperty("jxdp.runDir", oldRunDir);
        }
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


    private static final List<List<String>> L2_SWITCH = List.of(
            List.of("fdb", "update", "key", "hex", "02", "00", "00", "00", "00", "01", "value", "2", "0", "0", "0", "0", "0", "0", "0",
                    "1", "0", "0", "0", "0", "0", "0", "0"),
            List.of("fdb", "update", "key", "hex", "02", "00", "00", "00", "00", "01", "value", "3", "0", "0", "0", "0", "0", "0", "0",
                    "1", "0", "0", "0", "0", "0", "0", "0", "noexist"),
            // one entry at a time: the kernel seeds each hash map's jhash at random, so the order of two is not fixed
            List.of("fdb", "update", "key", "hex", "02", "00", "00", "00", "00", "02", "value", "3", "0", "0", "0", "0", "0", "0", "0",
                    "9", "0", "0", "0", "0", "0", "0", "0", "exist"),
            List.of("fdb", "update", "key", "hex", "02", "00", "00", "00", "00", "01", "value", "3", "0", "0", "0", "0", "0", "0", "0",
                    "9", "0", "0", "0", "0", "0", "0", "0", "exist"),
            List.of("fdb", "lookup", "key", "hex", "02", "00", "00", "00", "00", "01"),
            List.of("fdb", "dump"),
            List.of("fdb", "getnext"),
            List.of("fdb", "peek"), // bpftool's peek is its lookup: a hash map's key is wanted
            List.of("fdb", "delete", "key", "hex", "02", "00", "00", "00", "00", "01"),
            List.of("fdb", "delete", "key", "hex", "02", "00", "00", "00", "00", "01"),
            List.of("fdb", "lookup", "key", "hex", "02", "00", "00", "00", "00", "01"),
            List.of("fdb", "dump"));

    private static final List<List<String>> FIREWALL = List.of(
            List.of("icmp_fw_stats", "update", "key", "1", "0", "0", "0", "value", "5", "0", "0", "0", "0", "0", "0", "0"),
            List.of("icmp_fw_stats", "update", "key", "3", "0", "0", "0", "value", "5", "0", "0", "0", "0", "0", "0", "0"),
            List.of("icmp_fw_stats", "dump"),
            List.of("icmp_fw_stats", "lookup", "key", "1", "0", "0", "0"));

    private static final List<List<String>> PROTO_COUNTER = List.of(
            List.of("proto_stats", "update", "key", "hex", "11", "00", "00", "00", "value", "1", "2", "3", "4", "5", "6", "7", "8"),
            List.of("proto_stats", "lookup", "key", "hex", "11", "00", "00", "00"));

    @Test
    void theLearningSwitchTable() throws Exception {
        sameAsBpftool("xdp_l2_switch", L2_SWITCH);
    }

    @Test
    void theFirewallCounters() throws Exception {
        sameAsBpftool("xdp_icmp_firewall", FIREWALL);
    }

    @Test
    void aPerCpuMap() throws Exception {
        sameAsBpftool("xdp_proto_counter", PROTO_COUNTER);
    }

    private void sameAsBpftool(String name, List<List<String>> commands) throws Exception {
        String object = Cli.object(name);
        for (boolean json : new boolean[] {false, true}) {
            cleanUp();
            System.setProperty("jxdp.runDir", runDir.toString());
            Files.createDirectories(pins);
            Run load = bpftool("prog", "loadall", object, pins.resolve("progs").toString(), "pinmaps", pins.resolve("maps").toString());
            assertEquals(0, load.status(), load.err());
            MapRegistry registry = new MapRegistry();
            // as many per-CPU slots as the kernel has possible CPUs, so per-CPU values print alike
            int cpus = Runtime.getRuntime().availableProcessors();
            try (LoadedObject o = LoadedObject.load(ObjectLoader.load(Path.of(object), dev.jxdp.obj.LoadOptions.defaults()),
                    LoadedObject.Options.defaults().withWorkers(cpus).withProvider(dev.jxdp.hooks.PacketHelpers.INSTANCE));
                    ControlServer server = ControlServer.start(0, MapsOnlyApi.of(registry))) {
                registry.add(Path.of(object), o);
                new RunFile(INSTANCE, ProcessHandle.current().pid(), server.host(), server.port(), System.currentTimeMillis()).write();
                for (List<String> c : commands) {
                    List<String> k = new ArrayList<>();
                    List<String> j = new ArrayList<>();
                    if (json) {
                        k.add("-j");
                        j.add("-j");
                    }
                    k.addAll(List.of("map", c.get(1), "pinned", pins.resolve("maps").resolve(c.get(0)).toString()));
                    k.addAll(c.subList(2, c.size()));
                    j.addAll(List.of("map", c.get(1), "--instance", INSTANCE, c.get(0)));
                    j.addAll(c.subList(2, c.size()));
                    Run kernel = bpftool(k.toArray(String[]::new));
                    Cli jxdp = Cli.run(j.toArray(String[]::new));
                    String what = String.join(" ", j);
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
    }

    @Test
    void anInstanceWithoutMapsSaysSo() throws Exception {
        try (ControlServer server = ControlServer.start(0, MapsOnlyApi.of(new MapRegistry()))) {
            new RunFile(INSTANCE, ProcessHandle.current().pid(), server.host(), server.port(), System.currentTimeMillis()).write();
            Cli c = Cli.run("map", "dump", "--instance", INSTANCE, "fdb");
            assertEquals(1, c.status());
            assertEquals("Error: no map 'fdb' in jxdp instance '" + INSTANCE + "' (the instance has no maps)\n", c.err());
        }
    }

    @Test
    void anInstanceThatIsNotRunningIsOneLine() {
        Cli c = Cli.run("map", "dump", "--instance", "swnosuch", "fdb");
        assertEquals(1, c.status());
        assertEquals("Error: no running jxdp instance 'swnosuch' (no " + runDir.resolve("swnosuch.json") + ")\n", c.err());
        Cli s = Cli.run("stats");
        assertEquals(1, s.status());
        assertTrue(s.err().startsWith("Error: no running jxdp instance (no run file in " + runDir), s.err());
    }
}
