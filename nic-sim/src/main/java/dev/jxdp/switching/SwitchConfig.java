package dev.jxdp.switching;

import dev.jxdp.hooks.RouteTable;
import java.util.List;

/**
 * A switch as the command line describes it.
 *
 * @param name the instance name (its run file, {@code --instance NAME})
 * @param ports the ports in order: ifindex 2, 3, ... (1 is the loopback device's, as in a namespace)
 * @param host the host port (the local stack), or null
 * @param hostEgress the port frames from the host leave by (through its tc egress), or null: they are dropped
 * @param attach the programs to attach, in the order they run on each hook
 * @param workers poll-mode workers
 * @param controlPort the control endpoint's port on 127.0.0.1 (0: any free one)
 * @param routes the routes and neighbours bpf_fib_lookup consults
 */
public record SwitchConfig(String name, List<PortSpec> ports, PortSpec host, String hostEgress, List<AttachSpec> attach, int workers, int controlPort,
        RouteTable routes) {
    public SwitchConfig {
        ports = List.copyOf(ports);
        attach = List.copyOf(attach);
    }

    /** A switch whose programs find no routes (bpf_fib_lookup: not forwarded). */
    public SwitchConfig(String name, List<PortSpec> ports, PortSpec host, String hostEgress, List<AttachSpec> attach, int workers, int controlPort) {
        this(name, ports, host, hostEgress, attach, workers, controlPort, new RouteTable());
    }
}
