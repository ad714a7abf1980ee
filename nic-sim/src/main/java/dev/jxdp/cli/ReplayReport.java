package dev.jxdp.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a replay did, for the summary jxdp prints (plain, as below, or as JSON with -j/-p):
 *
 * <pre>
 * Actual: 12 packets (1176 bytes) replayed in 0.04 seconds, 1 loop
 * outcome     packets    bytes  file
 * pass              2       84  out/pass.pcap
 * ...
 * hook        port        runs  verdicts
 * xdp         in            12  XDP_PASS 2, XDP_TX 10
 * queue       packets    bytes  drops  missed
 * rx-0             12     1176      0       0
 * latency (ns)  samples    p50    p99  p99.9    max
 * xdp                12    310    950   1200   1200
 * </pre>
 *
 * The first line is tcpreplay's, ending {@code , interrupted} when SIGINT or SIGTERM stopped the
 * replay ({@code "interrupted": true} in JSON); latency is every frame's time in each hook and
 * through the whole pipeline (wall clock on this machine: noisy, not a benchmark).
 */
record ReplayReport(Path capture, long packets, long bytes, double seconds, int loops, String filter, long filteredOut,
        List<Outcome> outcomes, List<HookLine> hooks, List<QueueLine> queues, List<Latency> latency, List<String> faults,
        long lost, String error, boolean interrupted) {

    record Outcome(String name, long packets, long bytes, Path file) {}

    record HookLine(String hook, String port, long runs, Map<String, Long> verdicts) {}

    record QueueLine(int queue, int worker, long packets, long bytes, long drops, long missed) {}

    record Latency(String stage, long samples, long p50, long p99, long p999, long max) {}

    void print(PrintWriter out) {
        out.printf(Locale.ROOT, "Actual: %d packets (%d bytes) replayed in %.3f seconds, %d loop%s%s%n", packets, bytes, seconds, loops,
                loops == 1 ? "" : "s", interrupted ? ", interrupted" : "");
        if (filter != null) {
            out.printf("Filtered out: %d packets (--filter '%s')%n", filteredOut, filter);
        }
        out.printf("%-14s %9s %11s  %s%n", "outcome", "packets", "bytes", "file");
        for (Outcome o : outcomes) {
            out.printf("%-14s %9d %11d  %s%n", o.name(), o.packets(), o.bytes(), o.file() == null ? "-" : o.file());
        }
        if (lost > 0) {
            out.printf("lost: %d frames found an outcome's ring full or failed to be written%n", lost);
        }
        out.printf("%-14s %-12s %9s  %s%n", "hook", "port", "runs", "verdicts");
        for (HookLine h : hooks) {
            List<String> v = new ArrayList<>();
            h.verdicts().forEach((k, n) -> v.add(k + " " + n));
            out.printf("%-14s %-12s %9d  %s%n", h.hook(), h.port(), h.runs(), String.join(", ", v));
        }
        out.printf("%-14s %9s %11s %7s %7s %7s%n", "queue", "packets", "bytes", "drops", "missed", "worker");
        for (QueueLine q : queues) {
            out.printf("%-14s %9d %11d %7d %7d %7d%n", "rx-" + q.queue(), q.packets(), q.bytes(), q.drops(), q.missed(), q.worker());
        }
        out.printf("%-14s %9s %9s %9s %9s %9s%n", "latency (ns)", "samples", "p50", "p99", "p99.9", "max");
        for (Latency l : latency) {
            out.printf("%-14s %9d %9d %9d %9d %9d%n", l.stage(), l.samples(), l.p50(), l.p99(), l.p999(), l.max());
        }
        for (String f : faults) {
            out.println("fault: " + f);
        }
    }

    /** The same as a JSON tree (snake_case keys, as bpftool's JSON). */
    Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("capture", capture.toString());
        m.put("packets", packets);
        m.put("bytes", bytes);
        m.put("seconds", seconds);
        m.put("loops", loops);
        m.put("interrupted", interrupted);
        if (filter != null) {
            m.put("filter", filter);
            m.put("filtered_out", filteredOut);
        }
        Map<String, Object> os = new LinkedHashMap<>();
        for (Outcome o : outcomes) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("packets", o.packets());
            e.put("bytes", o.bytes());
            e.put("file", o.file() == null ? null : o.file().toString());
            os.put(o.name(), e);
        }
        m.put("outcomes", os);
        m.put("lost", lost);
        List<Object> hs = new ArrayList<>();
        for (HookLine h : hooks) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("hook", h.hook());
            e.put("port", h.port());
            e.put("runs", h.runs());
            e.put("verdicts", h.verdicts());
            hs.add(e);
        }
        m.put("hooks", hs);
        List<Object> qs = new ArrayList<>();
        for (QueueLine q : queues) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("queue", q.queue());
            e.put("worker", q.worker());
            e.put("packets", q.packets());
            e.put("bytes", q.bytes());
            e.put("drops", q.drops());
            e.put("missed", q.missed());
            qs.add(e);
        }
        m.put("queues", qs);
        Map<String, Object> ls = new LinkedHashMap<>();
        for (Latency l : latency) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("samples", l.samples());
            e.put("p50", l.p50());
            e.put("p99", l.p99());
            e.put("p99_9", l.p999());
            e.put("max", l.max());
            ls.put(l.stage(), e);
        }
        m.put("latency_ns", ls);
        m.put("faults", faults);
        if (error != null) {
            m.put("error", error);
        }
        return m;
    }
}
