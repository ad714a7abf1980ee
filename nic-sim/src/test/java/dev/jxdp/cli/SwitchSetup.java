package dev.jxdp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jxdp.nic.testing.Netns;

/** What the namespace tests of {@code jxdp switch} do to set up, as a user would with ip and jxdp map. */
final class SwitchSetup {
    private SwitchSetup() {}

    /** Moves a switch's tap into {@code ns}, gives it {@code address} (CIDR) and brings it up. */
    static void configure(Netns ns, String device, String address) {
        ns.adopt(device);
        ns.exec("ip", "addr", "add", address, "dev", device).orFail();
        ns.exec("ip", "link", "set", device, "up").orFail();
    }

    /** The learning switch floods to, and redirects to, the ports its devmap lists: ifindex i -> i, as a user sets it up. */
    static void devmap(String instance, int... ifindexes) {
        for (int i : ifindexes) {
            Cli c = Cli.run("map", "update", "--instance", instance, "ports", "key", Integer.toString(i), "0", "0", "0", "value",
                    Integer.toString(i), "0", "0", "0");
            assertEquals(0, c.status(), c.err());
        }
    }
}
