package dev.jxdp.cli;

import dev.jxdp.control.ControlClient;
import dev.jxdp.control.RunFile;
import dev.jxdp.control.SwitchStats;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code jxdp stats [--instance NAME] [-j|-p] [--metrics]}: the counters of a running switch, per port
 * as {@code ip -s link} prints a device's (RX/TX lines), then each hook's programs and verdicts, the
 * workers, latency quantiles and program faults. -j prints the control endpoint's JSON, --metrics its
 * Prometheus text.
 */
@Command(name = "stats", mixinStandardHelpOptions = true, description = "Show the counters of a running jxdp switch.")
final class StatsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--instance", paramLabel = "NAME",
            description = "The switch's --name (default: the only one running).")
    String instance;

    @Option(names = "--metrics", description = "Print the Prometheus text exposition (GET /metrics) instead.")
    boolean metrics;

    @Override
    public Integer call() throws Exception {
        ControlClient client = ControlClient.of(instance != null ? instance : only());
        PrintWriter out = spec.commandLine().getOut();
        Main.Output mode = Main.output(spec);
        if (metrics) {
            out.print(client.metrics());
        } else if (mode != Main.Output.PLAIN) {
            out.println(dev.jxdp.control.Json.write(client.stats(), mode == Main.Output.PRETTY_JSON));
        } else {
            print(out, client.instance(), client.stats());
        }
        out.flush();
        return 0;
    }

    /** The instance when the user named none: the only one with a run file. */
    static String only() {
        List<String> names = RunFile.names();
        if (names.isEmpty()) {
            throw new IllegalArgumentException("no running jxdp instance (no run file in " + RunFile.dir() + ")");
        }
        if (names.size() > 1) {
            throw new IllegalArgumentException("several jxdp instances are running (" + String.join(", ", names)
                    + "): name one with --instance");
        }
        return names.getFirst();
    }

    static void print(PrintWriter out, RunFile at, SwitchStats s) {
        out.printf("instance %s: pid %d, up %.1f s, control %s%n", s.instance(), s.pid(), s.uptimeMs() / 1000.0, at.url());
        for (var p : s.ports()) {
            // ip link's order: mtu before state
            out.printf("%d: %s: %s%s mtu %d state %s%s%n", p.ifindex(), p.name(), p.kind(), p.host() ? " (host)" : "", p.mtu(), p.state(),
                    p.downReason() == null ? "" : " (" + p.downReason() + ")");
            long rp = 0, rb = 0, rd = 0, rm = 0;
            for (var q : p.rx()) {
                rp += q.packets();
                rb += q.bytes();
                rd += q.drops();
                rm += q.missed();
            }
            long tp = 0, tb = 0, te = 0, td = 0;
            for (var q : p.tx()) {
                tp += q.packets();
                tb += q.bytes();
                te += q.errors();
                td += q.dropped();
            }
            // ip -s link's columns
            out.printf("    RX:  bytes packets errors dropped  missed%n");
            out.printf("    %10d %7d %6d %7d %7d%n", rb, rp, p.rxErrors(), rd, rm);
            out.printf("    TX:  bytes packets errors dropped%n");
            out.printf("    %10d %7d %6d %7d%n", tb, tp, te, td);
            for (var h : p.hooks()) {
                if (h.programs().isEmpty() && h.runs() == 0) {
                    continue;
                }
                out.printf("    %s: %s  runs %d%s%n", hookName(h.hook()), String.join(", ", h.programs()), h.runs(), verdicts(h.verdicts()));
            }
            if (!p.fates().isEmpty()) {
                out.printf("    frames:%s%n", verdicts(p.fates()));
            }
        }
        for (var w : s.workers()) {
            out.printf("worker %d: polls %d frames %d dropped %d aborted %d to_host %d transmitted %d%n", w.worker(), w.polls(),
                    w.frames(), w.dropped(), w.aborted(), w.toHost(), w.transmitted());
        }
        for (var l : s.latency()) {
            if (l.samples() > 0) {
                out.printf("latency %s: %d samples, p50 %d ns, p90 %d ns, p99 %d ns, p99.9 %d ns, max %d ns%n", l.stage(), l.samples(),
                        l.p50Ns(), l.p90Ns(), l.p99Ns(), l.p999Ns(), l.maxNs());
            }
        }
        for (var f : s.faults()) {
            out.printf("fault: %s (%s) insn %d: %s, %d times%n", f.program(), f.hook(), f.pc(), f.message(), f.count());
        }
    }

    private static String hookName(String hook) {
        return switch (hook) {
            case "XDP" -> "xdp";
            case "TC_INGRESS" -> "tc ingress";
            case "TC_EGRESS" -> "tc egress";
            default -> hook;
        };
    }

    private static String verdicts(Map<String, Long> m) {
        StringBuilder b = new StringBuilder();
        m.forEach((k, v) -> b.append(' ').append(k).append(' ').append(v));
        return b.toString();
    }
}
