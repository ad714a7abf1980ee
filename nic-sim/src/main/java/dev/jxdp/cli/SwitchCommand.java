package dev.jxdp.cli;

import dev.jxdp.hooks.RouteTable;
import dev.jxdp.switching.AttachSpec;
import dev.jxdp.switching.PortSpec;
import dev.jxdp.switching.Switch;
import dev.jxdp.switching.SwitchConfig;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code jxdp switch --port tap:DEV ... [--host tap:DEV] --xdp PORT=OBJ[:PROG] ...}: a software switch
 * between real interfaces that runs until SIGINT or SIGTERM, with its counters and maps reachable
 * through the control endpoint ({@code jxdp stats}, {@code jxdp map ... --instance NAME}). At the end
 * it stops the ports, lets the workers finish what was queued, sends what is in the transmit queues,
 * frees every buffer and prints the final counters.
 */
@Command(name = "switch", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run a software switch between real interfaces until stopped (SIGINT/SIGTERM).",
                "Ports get ifindex 2, 3, ... in the order given; the host port comes last."})
final class SwitchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--port", paramLabel = "KIND:TARGET[,OPT=V]", required = true,
            description = "A port: tap:DEV[,offload=on|off][,lossless=on|off][,mtu=N] (a tap jxdp creates; with offload=on, the default, it takes"
                    + " and gives TCP segments of up to 64 KB behind a virtio-net header; with lossless=on, the default, full rings make"
                    + " it wait rather than drop; mtu=N, 1500 by default, is the device's), udp:HOST:PORT[,listen=[ADDR:]PORT][,mtu=N], packet:DEV"
                    + " (an existing interface, AF_PACKET); options name=NAME, queues=N. Repeatable.")
    List<String> ports = new ArrayList<>();

    @Option(names = "--host", paramLabel = "KIND:TARGET",
            description = "The local stack, where XDP_PASS + TC_ACT_OK frames go: tap:DEV, packet:DEV (one end of a veth: skb marks"
                    + " reach the kernel) or pcap:FILE.")
    String host;

    @Option(names = "--host-egress", paramLabel = "PORT",
            description = "The port frames from the host leave by, through its tc egress (the host's route out); without it they are dropped.")
    String hostEgress;

    @Option(names = "--xdp", paramLabel = "PORT=OBJ[:PROG]",
            description = "Attach an XDP program (name or section) to a port; several run in the order given, XDP_PASS going on. Repeatable.")
    List<String> xdp = new ArrayList<>();

    @Option(names = "--tc-ingress", paramLabel = "PORT=OBJ[:PROG]", description = "Attach a tc program at a port's ingress (tcx). Repeatable.")
    List<String> tcIngress = new ArrayList<>();

    @Option(names = "--tc-egress", paramLabel = "PORT=OBJ[:PROG]", description = "Attach a tc program at a port's egress (tcx). Repeatable.")
    List<String> tcEgress = new ArrayList<>();

    @Option(names = "--name", paramLabel = "NAME", defaultValue = "jxdp",
            description = "Instance name, for --instance NAME (default: ${DEFAULT-VALUE}).")
    String name;

    @Option(names = "--workers", paramLabel = "N", defaultValue = "1", description = "Poll-mode workers (default: ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--control-port", paramLabel = "PORT", defaultValue = "0",
            description = "Port of the control endpoint on 127.0.0.1 (default 0: any free port; the run file names it).")
    int controlPort;

    @Mixin
    RouteArgs routing;

    @Mixin
    LoadArgs load;

    @Override
    public Integer call() throws Exception {
        List<PortSpec> ps = new ArrayList<>();
        List<AttachSpec> attach = new ArrayList<>();
        RouteTable routes = new RouteTable();
        PortSpec h;
        // what the options say, read before anything is made: a wrong one is a usage error (exit 2), as
        // picocli's own are; what only the kernel or an object can refuse comes later (exit 1)
        try {
            for (int i = 0; i < ports.size(); i++) {
                ps.add(PortSpec.parse(ports.get(i), i, false));
            }
            h = host == null ? null : PortSpec.parse(host, 0, true);
            xdp.forEach(x -> attach.add(AttachSpec.xdp(x)));
            tcIngress.forEach(x -> attach.add(AttachSpec.tcIngress(x)));
            tcEgress.forEach(x -> attach.add(AttachSpec.tcEgress(x)));
            if (workers < 1 || workers > 256) {
                throw new IllegalArgumentException("--workers must be 1 to 256, not " + workers);
            }
            if (controlPort < 0 || controlPort > 65535) {
                throw new IllegalArgumentException("--control-port must be 0 (any free port) to 65535, not " + controlPort);
            }
            PortSpec hostSpec = h;
            routing.fill(routes, dev -> ifindex(dev, ps, hostSpec));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        if (h instanceof PortSpec.Pcap p) {
            OutputFiles.writable(p.file(), "--host"); // a file to be made: a missing directory is named, as for bench's and replay's outputs
        }
        SwitchConfig config = new SwitchConfig(name, ps, h, hostEgress, attach, workers, controlPort, routes);
        PrintWriter out = spec.commandLine().getOut();
        Switch sw = Switch.start(config, load::load);
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = Thread.ofPlatform().name("jxdp-switch-stop").unstarted(() -> {
            try {
                var at = sw.runFile();
                sw.close(); // drains the queues first, so the counters below are final
                var last = sw.stats();
                out.println("stopped; final counters:");
                StatsCommand.print(out, at, last);
                out.flush();
            } finally {
                stopped.countDown();
            }
        });
        Runtime.getRuntime().addShutdownHook(hook);
        out.printf("jxdp switch %s: control http://%s:%d (jxdp stats --instance %s); stop with Ctrl-C or SIGTERM%n", name,
                sw.runFile().host(), sw.runFile().port(), name);
        sw.ports().forEach((n, p) -> out.printf("  %d: %s (%s)%n", p.ifindex(), n, p.describe()));
        if (sw.datapath().host() != null) {
            out.printf("  %d: %s (%s, host)%n", sw.datapath().host().ifindex(), sw.datapath().host().name(), sw.datapath().host().describe());
        }
        out.flush();
        stopped.await(); // the JVM's exit on a signal runs the hook; this thread only waits
        return 0;
    }

    /** {@code dev PORT} of --route/--neigh: a port's name or ifindex (ports are 2, 3, ... in order, the host last). */
    private static int ifindex(String dev, List<PortSpec> ports, PortSpec host) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < ports.size(); i++) {
            if (ports.get(i).name().equals(dev) || dev.equals(Integer.toString(2 + i))) {
                return 2 + i;
            }
            names.add(ports.get(i).name());
        }
        if (host != null) {
            if (host.name().equals(dev) || dev.equals(Integer.toString(2 + ports.size()))) {
                return 2 + ports.size();
            }
            names.add(host.name());
        }
        throw new IllegalArgumentException("no port " + dev + " (ports: " + String.join(", ", names) + ")");
    }
}
