package dev.jxdp.nic.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A network namespace a test creates and removes (with everything in it) on close, whatever happened.
 * Needs root and iproute2; a test without them is skipped with that reason.
 */
public final class Netns implements AutoCloseable {
    private final String name;

    private Netns(String name) {
        this.name = name;
    }

    /** Skips the calling test unless namespaces can be made here. */
    public static void assumeAvailable() {
        assumeTrue(Cmd.available("ip"), "iproute2 (ip) is not installed");
        assumeTrue(Cmd.root(), "not root: network namespaces and taps need CAP_NET_ADMIN and CAP_SYS_ADMIN");
    }

    /** What a test with taps in namespaces needs: {@link #assumeAvailable()} and /dev/net/tun. */
    public static void assumeTaps() {
        assumeAvailable();
        assumeTrue(Files.exists(Path.of("/dev/net/tun")), "no /dev/net/tun");
    }

    public static Netns create() {
        return create("jxdp-test-");
    }

    /** A namespace named {@code prefix} + 5 or 6 hex digits (tests that run beside others' pick their own prefix). */
    public static Netns create(String prefix) {
        assumeAvailable();
        String name = prefix + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 20, 1 << 24));
        Cmd.run("ip", "netns", "add", name).orFail();
        Netns ns = new Netns(name);
        ns.exec("ip", "link", "set", "lo", "up");
        return ns;
    }

    /** A device name no other test run uses ({@code prefix} + 5 hex digits, within IFNAMSIZ). */
    public static String uniqueDevice(String prefix) {
        return prefix + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 16, 1 << 20));
    }

    public String name() {
        return name;
    }

    /** Runs {@code command} inside the namespace. */
    public Cmd.Result exec(String... command) {
        return exec(60, command);
    }

    public Cmd.Result exec(int timeoutSeconds, String... command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(List.of(command));
        return Cmd.run(timeoutSeconds, full);
    }

    /** Moves {@code device} from the test's namespace into this one. */
    public void adopt(String device) {
        Cmd.run("ip", "link", "set", device, "netns", name).orFail();
    }

    /**
     * The first value of the first map of the first tc program on {@code device}, found as bpftool finds
     * it (net show, prog show, map dump): what a probe attached with tc recorded.
     */
    public byte[] tcMapValue(String device) throws java.io.IOException {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        int prog = json.readTree(exec("bpftool", "-j", "net", "show", "dev", device).orFail().out()).get(0).get("tc").get(0).get("id").asInt();
        int map = json.readTree(exec("bpftool", "-j", "prog", "show", "id", Integer.toString(prog)).orFail().out()).get("map_ids").get(0).asInt();
        var dump = json.readTree(exec("bpftool", "-j", "map", "dump", "id", Integer.toString(map)).orFail().out());
        return dev.jxdp.testing.Bpftool.bytes(dump.get(0).get("value"));
    }

    @Override
    /**
     * Removes the namespace, killing what still runs in it first: a process left there (a server a
     * test started through {@code ip netns exec}) would keep the namespace, and the devices in it, alive
     * after {@code ip netns del}.
     */
    public void close() {
        for (String pid : Cmd.run("ip", "netns", "pids", name).out().split("\\s+")) {
            if (!pid.isBlank()) {
                Cmd.run("kill", "-9", pid);
            }
        }
        Cmd.run("ip", "netns", "del", name);
    }
}
