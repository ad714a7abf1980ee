package dev.jxdp.control;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * {@link SwitchStats} in Prometheus' text exposition format, version 0.0.4: per metric family one
 * {@code # HELP} and one {@code # TYPE} line, then its samples; counters end in {@code _total};
 * latency is a summary in seconds (quantile samples, {@code _sum}, {@code _count}). Names follow
 * node_exporter's network device metrics ({@code receive}/{@code transmit}) with a {@code jxdp_} prefix.
 */
public final class PrometheusText {
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final StringBuilder out = new StringBuilder(4096);

    private PrometheusText() {}

    public static String render(SwitchStats s) {
        PrometheusText t = new PrometheusText();
        t.ports(s.ports());
        t.workers(s.workers());
        t.latency(s.latency());
        t.faults(s.faults());
        return t.out.toString();
    }

    private void ports(List<SwitchStats.PortStats> ports) {
        family("jxdp_port_up", "gauge", "Whether the port is up (1) or down (0).");
        for (var p : ports) {
            sample("jxdp_port_up", labels("port", p.name(), "ifindex", Integer.toString(p.ifindex())), "UP".equals(p.state()) ? 1 : 0);
        }
        family("jxdp_port_mtu_bytes", "gauge", "The MTU frames redirected to the port are held to (its interface's, as node_network_mtu_bytes).");
        for (var p : ports) {
            sample("jxdp_port_mtu_bytes", labels("port", p.name()), p.mtu());
        }
        rxCounter(ports, "jxdp_port_receive_packets_total", "Frames put on a receive queue.", SwitchStats.RxQueueStats::packets);
        rxCounter(ports, "jxdp_port_receive_bytes_total", "Bytes of the frames put on a receive queue.", SwitchStats.RxQueueStats::bytes);
        rxCounter(ports, "jxdp_port_receive_drop_total", "Frames dropped by a verdict, counted on their receive queue.", SwitchStats.RxQueueStats::drops);
        rxCounter(ports, "jxdp_port_receive_missed_total", "Frames lost for a full ring or no free buffer (rx_missed).", SwitchStats.RxQueueStats::missed);
        family("jxdp_port_receive_errs_total", "counter", "Frames the port could not take (too long for a buffer).");
        for (var p : ports) {
            sample("jxdp_port_receive_errs_total", labels("port", p.name()), p.rxErrors());
        }
        txCounter(ports, "jxdp_port_transmit_packets_total", "Frames written out of a transmit queue.", SwitchStats.TxQueueStats::packets);
        txCounter(ports, "jxdp_port_transmit_bytes_total", "Bytes written out of a transmit queue.", SwitchStats.TxQueueStats::bytes);
        txCounter(ports, "jxdp_port_transmit_errs_total", "Frames the wire refused.", SwitchStats.TxQueueStats::errors);
        txCounter(ports, "jxdp_port_transmit_drop_total", "Frames dropped for a full ring or a port that is down (tx_dropped).", SwitchStats.TxQueueStats::dropped);
        family("jxdp_hook_runs_total", "counter", "Packets a hook's programs ran on.");
        for (var p : ports) {
            for (var h : p.hooks()) {
                sample("jxdp_hook_runs_total", labels("port", p.name(), "hook", h.hook()), h.runs());
            }
        }
        family("jxdp_hook_verdicts_total", "counter", "Verdicts of a hook's programs, by the kernel's names.");
        for (var p : ports) {
            for (var h : p.hooks()) {
                for (var v : h.verdicts().entrySet()) {
                    sample("jxdp_hook_verdicts_total", labels("port", p.name(), "hook", h.hook(), "verdict", v.getKey()), v.getValue());
                }
            }
        }
        family("jxdp_port_frames_total", "counter", "How the frames received on a port ended (dropped, transmitted, to_host ...); on the host port, the frames the host sent.");
        for (var p : ports) {
            for (var f : p.fates().entrySet()) {
                sample("jxdp_port_frames_total", labels("port", p.name(), "fate", f.getKey()), f.getValue());
            }
        }
    }

    private void rxCounter(List<SwitchStats.PortStats> ports, String name, String help, ToLongFunction<SwitchStats.RxQueueStats> v) {
        family(name, "counter", help);
        for (var p : ports) {
            for (var q : p.rx()) {
                sample(name, labels("port", p.name(), "queue", Integer.toString(q.queue())), v.applyAsLong(q));
            }
        }
    }

    private void txCounter(List<SwitchStats.PortStats> ports, String name, String help, ToLongFunction<SwitchStats.TxQueueStats> v) {
        family(name, "counter", help);
        for (var p : ports) {
            for (var q : p.tx()) {
                sample(name, labels("port", p.name(), "queue", Integer.toString(q.queue())), v.applyAsLong(q));
            }
        }
    }

    private void workers(List<SwitchStats.WorkerStats> workers) {
        Map<String, Function<SwitchStats.WorkerStats, Long>> fates = new LinkedHashMap<>();
        fates.put("dropped", SwitchStats.WorkerStats::dropped);
        fates.put("aborted", SwitchStats.WorkerStats::aborted);
        fates.put("to_host", SwitchStats.WorkerStats::toHost);
        fates.put("transmitted", SwitchStats.WorkerStats::transmitted);
        fates.put("handed_over", SwitchStats.WorkerStats::handedOver);
        fates.put("consumed", SwitchStats.WorkerStats::consumed);
        fates.put("undeliverable", SwitchStats.WorkerStats::undeliverable);
        family("jxdp_worker_polls_total", "counter", "Polls of a worker's receive queues.");
        for (var w : workers) {
            sample("jxdp_worker_polls_total", labels("worker", Integer.toString(w.worker())), w.polls());
        }
        family("jxdp_worker_frames_total", "counter", "Frames a worker moved, by where they went.");
        for (var w : workers) {
            for (var f : fates.entrySet()) {
                sample("jxdp_worker_frames_total", labels("worker", Integer.toString(w.worker()), "fate", f.getKey()), f.getValue().apply(w));
            }
        }
    }

    private void latency(List<SwitchStats.LatencyStats> stages) {
        family("jxdp_latency_seconds", "summary", "Time of the sampled frames at each hook and through the whole pipeline.");
        for (var l : stages) {
            String[][] q = {{"0.5", ""}, {"0.9", ""}, {"0.99", ""}, {"0.999", ""}};
            long[] v = {l.p50Ns(), l.p90Ns(), l.p99Ns(), l.p999Ns()};
            for (int i = 0; i < q.length; i++) {
                // no samples, no quantile: NaN (%g writes it as the text format spells it), as Prometheus'
                // client libraries write an empty summary's quantiles, rather than a latency of 0 that never was
                double seconds = l.samples() == 0 ? Double.NaN : v[i] / 1e9;
                sampleDouble("jxdp_latency_seconds", labels("stage", l.stage(), "quantile", q[i][0]), seconds);
            }
            sampleDouble("jxdp_latency_seconds_sum", labels("stage", l.stage()), l.meanNs() * l.samples() / 1e9);
            sample("jxdp_latency_seconds_count", labels("stage", l.stage()), l.samples());
        }
    }

    private void faults(List<SwitchStats.FaultStats> faults) {
        family("jxdp_program_faults_total", "counter", "Program faults and XDP_ABORTED verdicts, by program, hook and instruction.");
        for (var f : faults) {
            sample("jxdp_program_faults_total", labels("program", f.program(), "hook", f.hook(), "insn", Integer.toString(f.pc())), f.count());
        }
    }

    private void family(String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help.replace("\\", "\\\\").replace("\n", "\\n")).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private void sample(String name, String labels, long value) {
        out.append(name).append(labels).append(' ').append(value).append('\n');
    }

    private void sampleDouble(String name, String labels, double value) {
        out.append(name).append(labels).append(' ').append(String.format(Locale.ROOT, "%.9g", value)).append('\n');
    }

    /** {@code {a="x",b="y"}} with the format's escapes (backslash, double quote, newline) in values. */
    static String labels(String... kv) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < kv.length; i += 2) {
            String v = kv[i + 1] == null ? "" : kv[i + 1];
            parts.add(kv[i] + "=\"" + v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"");
        }
        return "{" + String.join(",", parts) + "}";
    }
}
