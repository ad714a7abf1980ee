package dev.jxdp.perf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jxdp.bench.Namespace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * TCP throughput of iperf3 between two network namespaces, joined (a) by a Linux bridge with veths,
 * (b) by {@code jxdp switch} running programs/bin/xdp_l2_switch.o on two taps, and (c) by
 * perf/src/main/c/tap_forward.c, the least any switch between two taps can do (one thread per
 * direction copying frames from one tap to the other: what tun costs, with nothing of a switch's own),
 * in one run, in turn, with segmentation offloads off and on; the results are ratios of the medians:
 * jxdp against the bridge (the goal) and against tap_forward (how much of the gap is jxdp's own).
 *
 * <p>Everything lives in namespaces the run creates (names "ipbr...", "ipsw..." and "ipfw...") and
 * removes at the end, also after a failure or SIGINT/SIGTERM (a shutdown hook): the bridge and its veths are in a
 * third namespace, so nothing is added to the machine's own. The switch is the real command, a
 * child JVM ({@code java -jar nic-sim/target/jxdp.jar switch}), whose taps go away with it; its devmap
 * is filled with {@code jxdp map update --instance}, as a user does. {@code -Djxdp.switchWorkers=N} runs the switch with N poll-mode workers (1 by default), {@code -Djxdp.switchJvmOpts="..."}
 * adds JVM options to the switch (a flight recording, for example).
 *
 * <pre>
 * sudo java --enable-native-access=ALL-UNNAMED -cp perf/target/benchmarks.jar dev.jxdp.perf.SwitchIperfBenchmark [ROUNDS] [SECONDS]
 * </pre>
 * (root; iperf3, ethtool, iproute2 and a C compiler (cc or clang) installed; from the repository root
 * after {@code ./jxdp build} and {@code mvn -pl perf -am package -DskipTests})
 */
public final class SwitchIperfBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADDR_A = "10.78.0.1";
    private static final String ADDR_B = "10.78.0.2";
    /** What "offloads off" turns off, on every device frames cross (veths, bridge, taps). */
    static final List<String> SEGMENTATION_OFFLOADS = List.of("tso", "gso", "gro");

    /** One way of joining two namespaces: the devices frames cross and, per namespace, which are there. */
    private record Setup(String name, Namespace a, Namespace b, String devA, String devB, Map<Namespace, List<String>> devices) {}

    private final Deque<AutoCloseable> cleanup = new ArrayDeque<>();
    private final List<Process> processes = new ArrayList<>();
    /** Set once the cleanup began (the run's end, or SIGINT/SIGTERM's shutdown hook). */
    private volatile boolean stopping;

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        SwitchIperfBenchmark b = new SwitchIperfBenchmark();
        Thread hook = new Thread(b::cleanUp, "ipbench-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            b.run(rounds, seconds);
        } catch (Exception e) {
            if (!b.stopping) {
                throw e;
            } // else a signal's cleanup pulled the setup from under the run: nothing to report
        } finally {
            b.cleanUp();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // SIGINT/SIGTERM: the hook is running or has run, and the cleanup is done either way
            }
        }
    }

    private void run(int rounds, int seconds) throws Exception {
        Path obj = Path.of(System.getProperty("jxdp.programs", "programs/bin")).resolve("xdp_l2_switch.o");
        Path jar = Path.of(System.getProperty("jxdp.jar", "nic-sim/target/jxdp.jar"));
        for (Path p : List.of(obj, jar)) {
            if (!Files.isRegularFile(p)) {
                throw new IllegalStateException("no " + p.toAbsolutePath() + ": run from the repository root after ./jxdp build");
            }
        }
        for (String tool : List.of("iperf3", "ethtool", "ip")) {
            if (!installed(tool)) {
                throw new IllegalStateException(tool + " is not installed (apt-get install -y iperf3 ethtool iproute2)");
            }
        }
        Setup bridge = bridge();
        Setup jxdp = jxdpSwitch(obj, jar);
        Setup forward = tapForward(Path.of(System.getProperty("jxdp.tapForward", "perf/src/main/c/tap_forward.c")));
        List<Setup> setups = List.of(bridge, forward, jxdp);
        for (Setup s : setups) {
            // ARP and the switch's MAC table filled before any measurement
            s.a().exec("ping", "-c", "3", "-i", "0.2", "-W", "2", ADDR_B);
            track(new ProcessBuilder("ip", "netns", "exec", s.b().name(), "iperf3", "-s", "-B", ADDR_B)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
        }
        Thread.sleep(500);
        System.out.println("tap features as jxdp created them: " + features(jxdp.a(), jxdp.devA()));
        Map<String, List<Double>> gbps = new LinkedHashMap<>();
        for (int round = 0; round < rounds; round++) {
            for (boolean offloads : new boolean[] {false, true}) {
                for (Setup s : setups) {
                    setOffloads(s, offloads);
                }
                // the order turns each round, so that no setup always runs after the same other
                List<Setup> order = new ArrayList<>(setups);
                java.util.Collections.rotate(order, -round);
                for (Setup s : order) {
                    String key = s.name() + (offloads ? "/offloads-on" : "/offloads-off");
                    double[] r = iperf(s, seconds);
                    gbps.computeIfAbsent(key, k -> new ArrayList<>()).add(r[0]);
                    System.out.printf(Locale.ROOT, "round %d %-25s %7.3f Gbit/s (received), %4.0f retransmits%n", round + 1, key, r[0], r[1]);
                }
            }
        }
        System.out.printf(Locale.ROOT, "%niperf3 -t %d -O 1, 1 TCP stream, A -> B; medians of %d rounds (Gbit/s)%n", seconds, rounds);
        System.out.printf(Locale.ROOT, "%-9s %8s %12s %8s %12s %17s %19s%n", "offloads", "bridge", "tap_forward", "jxdp", "jxdp/bridge",
                "jxdp/tap_forward", "tap_forward/bridge");
        for (String mode : List.of("offloads-off", "offloads-on")) {
            double br = median(gbps.get("bridge/" + mode));
            double fw = median(gbps.get("tap_forward/" + mode));
            double jx = median(gbps.get("jxdp/" + mode));
            System.out.printf(Locale.ROOT, "%-9s %8.3f %12.3f %8.3f %12.3f %17.3f %19.3f%n", mode.substring(9), br, fw, jx, jx / br, jx / fw, fw / br);
        }
    }

    /** Two namespaces, each a veth to a bridge in a third (so the bridge is not in the machine's namespace). */
    private Setup bridge() throws IOException {
        Namespace a = namespace("ipbra");
        Namespace b = namespace("ipbrb");
        Namespace x = namespace("ipbrx");
        x.ip("link", "add", "ipbr0", "type", "bridge");
        x.ip("link", "set", "ipbr0", "up");
        for (Namespace n : List.of(a, b)) {
            String peer = n == a ? "ippa" : "ippb";
            n.ip("link", "add", "ipveth0", "type", "veth", "peer", "name", peer, "netns", x.name());
            x.ip("link", "set", peer, "master", "ipbr0");
            x.ip("link", "set", peer, "up");
            n.ip("addr", "add", (n == a ? ADDR_A : ADDR_B) + "/24", "dev", "ipveth0");
            n.ip("link", "set", "ipveth0", "up");
        }
        return new Setup("bridge", a, b, "ipveth0", "ipveth0",
                Map.of(a, List.of("ipveth0"), b, List.of("ipveth0"), x, List.of("ippa", "ippb", "ipbr0")));
    }

    /** Two namespaces, each with one of the switch's taps. */
    private Setup jxdpSwitch(Path obj, Path jar) throws IOException, InterruptedException {
        Namespace a = namespace("ipswa");
        Namespace b = namespace("ipswb");
        String hex = Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 16, 1 << 20));
        String ta = "ipta" + hex;
        String tb = "iptb" + hex;
        String instance = "ipsw" + hex;
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java));
        cmd.addAll(JxdpJvm.OPTIONS);
        String opts = System.getProperty("jxdp.switchJvmOpts", "").strip();
        if (!opts.isEmpty()) {
            cmd.addAll(Arrays.asList(opts.split("\\s+")));
        }
        cmd.addAll(List.of("-jar", jar.toString(), "switch", "--name", instance, "--port", "tap:" + ta, "--port", "tap:" + tb,
                "--xdp", ta + "=" + obj, "--xdp", tb + "=" + obj, "--workers", Integer.toString(Integer.getInteger("jxdp.switchWorkers", 1))));
        Path log = Files.createTempFile("ipsw", ".log");
        Process sw = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        cleanup.push(() -> stopSwitch(sw, log));
        awaitLine(sw, log, "control http", 60, "jxdp switch");
        joinTaps(a, ta, b, tb);
        // the learning switch floods to and redirects through the ports its devmap lists
        for (String ifindex : List.of("2", "3")) {
            run(List.of(java, "--enable-native-access=ALL-UNNAMED", "-jar", jar.toString(), "map", "update", "--instance", instance, "ports",
                    "key", ifindex, "0", "0", "0", "value", ifindex, "0", "0", "0"));
        }
        return new Setup("jxdp", a, b, ta, tb, Map.of(a, List.of(ta), b, List.of(tb)));
    }

    /**
     * Two namespaces, each with one of tap_forward's taps: the C source compiled here (with the first of
     * cc, clang, clang-19 found) and started as a child process, whose taps go away with it.
     */
    private Setup tapForward(Path source) throws IOException, InterruptedException {
        if (!Files.isRegularFile(source)) {
            throw new IllegalStateException("no " + source.toAbsolutePath() + ": run from the repository root");
        }
        String cc = null;
        for (String c : List.of("cc", "clang", "clang-19")) {
            if (installed(c)) {
                cc = c;
                break;
            }
        }
        if (cc == null) {
            throw new IllegalStateException("no C compiler (cc, clang or clang-19) for " + source + " (apt-get install -y gcc)");
        }
        Path dir = Files.createTempDirectory("tapfwd");
        Path exe = dir.resolve("tap_forward");
        cleanup.push(() -> {
            Files.deleteIfExists(exe);
            Files.deleteIfExists(dir);
        });
        run(List.of(cc, "-O2", "-Wall", "-o", exe.toString(), source.toString(), "-lpthread"));
        Namespace a = namespace("ipfwa");
        Namespace b = namespace("ipfwb");
        String hex = Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 16, 1 << 20));
        String ta = "ipfa" + hex;
        String tb = "ipfb" + hex;
        Path log = Files.createTempFile("ipfw", ".log");
        Process fw = new ProcessBuilder(exe.toString(), ta, tb).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        cleanup.push(() -> {
            fw.destroy();
            fw.waitFor(10, TimeUnit.SECONDS);
            Files.deleteIfExists(log);
        });
        awaitLine(fw, log, "forwarding", 10, "tap_forward");
        joinTaps(a, ta, b, tb);
        return new Setup("tap_forward", a, b, ta, tb, Map.of(a, List.of(ta), b, List.of(tb)));
    }

    /** Whether the shell finds command {@code tool}. */
    private static boolean installed(String tool) throws IOException, InterruptedException {
        return new ProcessBuilder("sh", "-c", "command -v " + tool).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor() == 0;
    }

    /** Waits until {@code p}'s output in {@code log} says {@code ready} (it has made its taps); fails if it ends or takes longer. */
    private static void awaitLine(Process p, Path log, String ready, int seconds, String what) throws IOException, InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!Files.readString(log).contains(ready)) {
            if (!p.isAlive() || System.nanoTime() > until) {
                throw new IOException(what + " did not start: " + Files.readString(log).strip());
            }
            Thread.sleep(50);
        }
    }

    /** Moves tap {@code ta} into {@code a} and {@code tb} into {@code b}, with A's and B's addresses, up. */
    private static void joinTaps(Namespace a, String ta, Namespace b, String tb) throws IOException {
        for (var e : Map.of(a, ta, b, tb).entrySet()) {
            Namespace n = e.getKey();
            run(List.of("ip", "link", "set", e.getValue(), "netns", n.name()));
            n.ip("addr", "add", (n == a ? ADDR_A : ADDR_B) + "/24", "dev", e.getValue());
            n.ip("link", "set", e.getValue(), "up");
        }
    }

    /** SIGTERM, so that the switch prints its final counters (kept in the log) and removes its taps. */
    private static void stopSwitch(Process sw, Path log) throws IOException, InterruptedException {
        sw.destroy();
        if (!sw.waitFor(30, TimeUnit.SECONDS)) {
            sw.destroyForcibly().waitFor();
        }
        System.out.println("jxdp switch's output (" + log + "):");
        System.out.println(Files.readString(log).strip().indent(2));
    }

    private Namespace namespace(String prefix) throws IOException {
        Namespace n = Namespace.create(prefix);
        cleanup.push(n);
        return n;
    }

    /**
     * {@code ethtool -K DEV tso off gso off gro off} (or on) on every device of the setup. jxdp's taps
     * are opened with IFF_VNET_HDR and TCP offloads, so "on" lets the kernel hand them 64 KB segments;
     * a tap without them (tap:DEV,offload=off, or jxdp before issue 9's offloads) cannot take TSO (the
     * feature is fixed off), which ethtool reports without failing the others.
     */
    private static void setOffloads(Setup s, boolean on) throws IOException {
        for (var e : s.devices().entrySet()) {
            for (String dev : e.getValue()) {
                List<String> cmd = new ArrayList<>(List.of("ethtool", "-K", dev));
                for (String f : SEGMENTATION_OFFLOADS) {
                    cmd.add(f);
                    cmd.add(on ? "on" : "off");
                }
                String[] full = cmd.toArray(String[]::new);
                try {
                    e.getKey().exec(full);
                } catch (IOException x) {
                    // "Could not change any device features" / fixed features: the rest were set
                    if (!x.getMessage().contains("Could not change") && !x.getMessage().contains("fixed")) {
                        throw x;
                    }
                }
            }
        }
    }

    private static String features(Namespace n, String dev) throws IOException {
        List<String> on = new ArrayList<>();
        for (String line : n.exec("ethtool", "-k", dev).lines().toList()) {
            String l = line.strip();
            for (String f : List.of("tx-checksumming:", "scatter-gather:", "tcp-segmentation-offload:", "generic-segmentation-offload:",
                    "generic-receive-offload:")) {
                if (l.startsWith(f)) {
                    on.add(l);
                }
            }
        }
        return String.join(", ", on);
    }

    /** One iperf3 run from A to B: received Gbit/s and the sender's retransmits. */
    private double[] iperf(Setup s, int seconds) throws IOException, InterruptedException {
        // a process of ours, not Namespace.exec's: a signal's cleanup must end it too (it would outlive its namespace)
        Process client = track(new ProcessBuilder("ip", "netns", "exec", s.a().name(), "iperf3", "-c", ADDR_B, "-t", Integer.toString(seconds),
                "-O", "1", "-P", "1", "-J").redirectErrorStream(true).start());
        String out = new String(client.getInputStream().readAllBytes());
        client.waitFor();
        untrack(client);
        JsonNode end = JSON.readTree(out).path("end");
        JsonNode recv = end.path("sum_received");
        if (recv.isMissingNode()) {
            throw new IOException("iperf3 over " + s.name() + " gave no result: " + out.strip());
        }
        return new double[] {recv.path("bits_per_second").asDouble() / 1e9, end.path("sum_sent").path("retransmits").asDouble()};
    }

    private static String run(List<String> cmd) throws IOException {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() != 0) {
                throw new IOException(String.join(" ", cmd) + ": " + out.strip());
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", cmd), e);
        }
    }

    private synchronized Process track(Process p) {
        if (stopping) {
            p.destroy();
        }
        processes.add(p);
        return p;
    }

    private synchronized void untrack(Process p) {
        processes.remove(p);
    }

    /** Idempotent: iperf3's processes, then the switch and the namespaces, newest first. */
    private synchronized void cleanUp() {
        stopping = true;
        for (Process p : processes) {
            p.destroy();
        }
        for (Process p : processes) {
            try {
                p.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        processes.clear();
        while (!cleanup.isEmpty()) {
            try {
                cleanup.pop().close();
            } catch (Exception e) {
                System.err.println("cleanup: " + e.getMessage());
            }
        }
    }

    private static double median(List<Double> xs) {
        double[] a = xs.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(a);
        return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
    }
}
