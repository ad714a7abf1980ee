package dev.jxdp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jxdp.nic.testing.Netns;
import dev.jxdp.obj.LoadOptions;
import dev.jxdp.obj.ObjectLoader;
import dev.jxdp.switching.AttachSpec;
import dev.jxdp.switching.PortSpec;
import dev.jxdp.switching.Switch;
import dev.jxdp.switching.SwitchConfig;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** What the namespace tests of {@code jxdp switch} do to set up, as a user would with ip and jxdp map. */
final class SwitchSetup {
    private SwitchSetup() {}

    /** A switch in this JVM on {@code ports} (--port texts), the XDP program of {@code object} on each, {@code workers} workers. */
    static Switch start(String name, List<String> ports, String object, int workers) throws IOException {
        List<PortSpec> ps = new ArrayList<>();
        List<AttachSpec> attach = new ArrayList<>();
        for (int i = 0; i < ports.size(); i++) {
            PortSpec p = PortSpec.parse(ports.get(i), i, false);
            ps.add(p);
            attach.add(AttachSpec.xdp(p.name() + "=" + object));
        }
        return Switch.start(new SwitchConfig(name, ps, null, null, attach, workers, 0), f -> ObjectLoader.load(f, LoadOptions.defaults()));
    }

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

    /** Port {@code name}'s entry in {@code jxdp -j stats}'s output. */
    static JsonNode port(JsonNode stats, String name) {
        for (JsonNode p : stats.get("ports")) {
            if (p.get("name").asText().equals(name)) {
                return p;
            }
        }
        throw new AssertionError("no port " + name + " in " + stats);
    }
}
