package dev.jxdp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jxdp.nic.testing.Cmd;
import dev.jxdp.nic.testing.Netns;
import dev.jxdp.nic.testing.RunDirProperty;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code jxdp switch} as a process of its own: stopped by SIGTERM and SIGINT, refused a tap without
 * CAP_NET_ADMIN, and its bad arguments (one line, exit 1; a usage error, 2).
 */
@Timeout(180)
class SwitchProcessTest {
    @TempDir
    Path runDir;
    @RegisterExtension
    final RunDirProperty runDirProperty = new RunDirProperty(() -> runDir);

    /** This JVM's java and classpath running the CLI, optionally under a wrapper (setpriv). */
    private static List<String> jxdp(List<String> wrapper, String... args) {
        List<String> cmd = new ArrayList<>(wrapper);
        cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    @ParameterizedTest(name = "SIG{0}")
    @ValueSource(strings = {"TERM", "INT"})
    void aSignalStopsTheSwitchWithTheFinalCountersAndRemovesItsTapAndRunFile(String signal) throws Exception {
        Netns.assumeTaps();
        String tap = Netns.uniqueDevice("sws");
        String name = "swsig" + signal.toLowerCase() + ProcessHandle.current().pid();
        ProcessBuilder pb = new ProcessBuilder(jxdp(List.of(), "switch", "--name", name, "--port", "tap:" + tap, "--xdp",
                tap + "=" + Cli.object("xdp_pass")))
                .redirectOutput(runDir.resolve("out").toFile()).redirectError(runDir.resolve("err").toFile());
        pb.environment().put("JXDP_RUN_DIR", runDir.toString());
        Process p = pb.start();
        try {
            Path runFile = runDir.resolve(name + ".json");
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.exists(runFile) && p.isAlive() && System.nanoTime() < until) {
                Thread.sleep(100);
            }
            assertTrue(Files.exists(runFile), "no run file; stderr: " + Files.readString(runDir.resolve("err")));
            assertEquals(0, Cmd.run("ip", "link", "show", tap).status(), "the switch made its tap");
            Cli stats = Cli.run("stats", "--instance", name);
            assertEquals(0, stats.status(), stats.err());
            assertTrue(stats.out().contains("2: " + tap + ": tap " + tap + " mtu 1500 state UP"), stats.out());
            assertTrue(stats.out().contains("    xdp: xdp_pass  runs "), stats.out());

            int number = signal.equals("TERM") ? 15 : 2;
            if (number == 2) {
                // a process started with SIGINT ignored (a background job of a script) keeps it ignored, as any program does
                String status = Files.readString(Path.of("/proc/" + p.pid() + "/status"));
                long ignored = Long.parseLong(status.lines().filter(l -> l.startsWith("SigIgn:")).findFirst().orElseThrow().substring(7).strip(), 16);
                assumeTrue((ignored & 2) == 0, "this test JVM was started with SIGINT ignored, and so is the switch");
            }
            Cmd.run("kill", "-" + signal, Long.toString(p.pid())).orFail();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the switch did not stop on SIG" + signal);
            assertEquals(128 + number, p.exitValue(), "killed by SIG" + signal + ", after its shutdown hook");
            String out = Files.readString(runDir.resolve("out"));
            assertTrue(out.startsWith("jxdp switch " + name + ": control http://127.0.0.1:"), out);
            assertTrue(out.contains("stopped; final counters:\n"), out);
            assertTrue(out.contains("2: " + tap + ": tap " + tap + " mtu 1500 state CLOSED"), out);
            assertEquals("", Files.readString(runDir.resolve("err")));
            assertFalse(Files.exists(runFile), "the run file is removed");
            assertNotEquals(0, Cmd.run("ip", "link", "show", tap).status(), "the tap is removed");
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void aTapThatCannotBeCreatedIsOneLine() {
        Netns.assumeAvailable();
        assumeTrue(Cmd.available("setpriv"), "setpriv (util-linux) is not installed");
        String tap = Netns.uniqueDevice("swn");
        // CAP_NET_ADMIN taken out of the bounding set before exec: root, but not allowed to make taps
        Cmd.Result r = Cmd.run(120, jxdp(List.of("setpriv", "--bounding-set", "-net_admin"), "switch", "--name", "swnocap",
                "--port", "tap:" + tap));
        assertEquals(1, r.status(), r.out() + r.err());
        assertEquals("Error: creating tap " + tap + " needs root (CAP_NET_ADMIN): TUNSETIFF: Operation not permitted\n", r.err());
        assertFalse(Files.exists(runDir.resolve("swnocap.json")));
    }

    @Test
    void badArgumentsAreOneLine() {
        Cli noPort = Cli.run("switch");
        assertEquals(2, noPort.status());
        assertTrue(noPort.err().startsWith("Error: Missing required option: '--port=KIND:TARGET[,OPT=V]'"), noPort.err());

        // what the options say is read before anything is made: a wrong one is a usage error, exit 2
        Cli kind = Cli.run("switch", "--port", "eth0");
        assertEquals(2, kind.status());
        assertEquals("Error: --port eth0: expected KIND:TARGET (tap:DEV, udp:HOST:PORT, packet:DEV) (see 'jxdp switch --help')\n", kind.err());

        Cli unknownKind = Cli.run("switch", "--port", "veth:x");
        assertEquals("Error: --port veth:x: unknown port kind 'veth' (tap, udp, packet) (see 'jxdp switch --help')\n", unknownKind.err());

        // --host takes what the README lists for it (tap:DEV, packet:DEV, pcap:FILE), and says so
        Cli hostUdp = Cli.run("switch", "--port", "tap:swq0", "--host", "udp:127.0.0.1:47003");
        assertEquals("Error: --host udp:127.0.0.1:47003: a UDP wire cannot stand for the local stack (tap:DEV, packet:DEV or pcap:FILE)"
                + " (see 'jxdp switch --help')\n",
                hostUdp.err());
        Cli hostUdpNamedLikeAPort = Cli.run("switch", "--port", "udp:127.0.0.1:47002", "--host", "udp:127.0.0.1:47003");
        assertEquals("Error: --host udp:127.0.0.1:47003: a UDP wire cannot stand for the local stack (tap:DEV, packet:DEV or pcap:FILE)"
                + " (see 'jxdp switch --help')\n",
                hostUdpNamedLikeAPort.err());
        Cli hostKind = Cli.run("switch", "--port", "tap:swq0", "--host", "eth0");
        assertEquals("Error: --host eth0: expected KIND:TARGET (tap:DEV, packet:DEV or pcap:FILE) (see 'jxdp switch --help')\n", hostKind.err());
        Cli hostUnknownKind = Cli.run("switch", "--port", "tap:swq0", "--host", "veth:x");
        assertEquals("Error: --host veth:x: unknown port kind 'veth' (tap, packet, pcap) (see 'jxdp switch --help')\n", hostUnknownKind.err());

        // a capture to be made: the missing directory is named, as for bench's and replay's output files; nothing is started
        Path noDir = runDir.resolve("no-such-dir");
        Cli pcapNoDir = Cli.run("switch", "--name", "swq", "--port", "tap:swq0", "--host", "pcap:" + noDir.resolve("x.pcap"));
        assertEquals("Error: " + noDir.resolve("x.pcap") + " (--host): no such directory " + noDir + "\n", pcapNoDir.err());
        Cli pcapDir = Cli.run("switch", "--name", "swq", "--port", "tap:swq0", "--host", "pcap:" + runDir);
        assertEquals("Error: " + runDir + " (--host): is a directory\n", pcapDir.err());
        assertFalse(Files.exists(runDir.resolve("swq.json")) || Files.exists(noDir));

        Cli option = Cli.run("switch", "--port", "tap:swq0,queues=0");
        assertEquals("Error: --port tap:swq0,queues=0: queues must be 1 to 64, not '0' (see 'jxdp switch --help')\n", option.err());

        Cli longName = Cli.run("switch", "--port", "tap:sw-a-name-too-long");
        assertEquals("Error: --port tap:sw-a-name-too-long: device name 'sw-a-name-too-long' is longer than 15 characters (IFNAMSIZ) (see 'jxdp switch --help')\n",
                longName.err());

        Cli controlPort = Cli.run("switch", "--port", "tap:swq0", "--control-port", "99999");
        assertEquals(2, controlPort.status());
        assertEquals("Error: --control-port must be 0 (any free port) to 65535, not 99999 (see 'jxdp switch --help')\n", controlPort.err());

        Cli udp = Cli.run("switch", "--port", "udp:127.0.0.1:99999");
        assertEquals("Error: --port udp:127.0.0.1:99999: port '99999' is not 1 to 65535 (see 'jxdp switch --help')\n", udp.err());

        Cli attach = Cli.run("switch", "--port", "tap:swq0", "--xdp", "swq1");
        assertEquals("Error: --xdp swq1: expected PORT=OBJ[:PROG] (see 'jxdp switch --help')\n", attach.err());

        // ports are made but not opened before the attachments are checked: nothing to undo in the kernel
        String tc = Cli.object("tc_rtp_jitter");
        Cli wrongPort = Cli.run("switch", "--port", "tap:swq0", "--xdp", "swq1=" + tc);
        assertEquals(1, wrongPort.status(), "found when the programs are attached: not a usage error");
        assertEquals("Error: --xdp swq1=...: no port swq1 (ports: swq0)\n", wrongPort.err());
        Cli wrongType = Cli.run("switch", "--port", "tap:swq0", "--xdp", "swq0=" + tc);
        assertEquals("Error: --xdp swq0=" + tc + ": no xdp program in the object (programs: tc_rtp_jitter (tc))\n", wrongType.err());
        Cli named = Cli.run("switch", "--port", "tap:swq0", "--tc-ingress", "swq0=" + Cli.object("xdp_tc_meta_handoff") + ":xdp_store_meta");
        assertEquals("Error: --tc-ingress swq0=" + Cli.object("xdp_tc_meta_handoff")
                + ":xdp_store_meta: xdp_store_meta is a xdp program, not sched_cls\n", named.err());
        Cli route = Cli.run("switch", "--port", "tap:swq0", "--port", "tap:swq1", "--route", "default via 10.0.0.1 dev swq2");
        assertEquals("Error: --route 'default via 10.0.0.1 dev swq2': no port swq2 (ports: swq0, swq1) (see 'jxdp switch --help')\n", route.err());
        Cli neigh = Cli.run("switch", "--port", "tap:swq0", "--neigh", "10.0.0.1 lladdr 02:aa:00:00:01 dev swq0");
        assertEquals("Error: --neigh '10.0.0.1 lladdr 02:aa:00:00:01 dev swq0': a MAC address has 6 bytes: 02:aa:00:00:01 (see 'jxdp switch --help')\n", neigh.err());
        Cli instance = Cli.run("switch", "--name", "bad/name", "--port", "tap:swq0");
        assertEquals("Error: instance name 'bad/name' must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit\n",
                instance.err());
    }
}
