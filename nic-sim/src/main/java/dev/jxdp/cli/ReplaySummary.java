package dev.jxdp.cli;

import dev.jxdp.hooks.Hook;
import dev.jxdp.hooks.HookStats;
import dev.jxdp.hooks.Outcome;
import dev.jxdp.hooks.Pipeline;
import dev.jxdp.nic.Port;
import dev.jxdp.nic.RxQueue;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** Gathers a {@link ReplayReport} from the counters of a replay's ports, pipeline and workers once it stopped. */
final class ReplaySummary {
    private ReplaySummary() {}

    static ReplayReport of(ReplayRig rig, Path capture, double seconds, String filter, String error, boolean interrupted) {
        Pipeline pipeline = rig.processor.pipeline();
        long packets = 0;
        long bytes = 0;
        List<ReplayReport.QueueLine> queues = new ArrayList<>();
        int workers = pipeline.workers();
        for (int q = 0; q < rig.in.rxQueueCount(); q++) {
            RxQueue r = rig.in.rxQueue(q);
            packets += r.packets.get();
            bytes += r.bytes.get();
            queues.add(new ReplayReport.QueueLine(q, q % workers, r.packets.get(), r.bytes.get(), r.drops.get(), r.missed.get()));
        }
        List<ReplayReport.Outcome> outcomes = new ArrayList<>();
        long lost = rig.processor.copyFailures();
        for (Map.Entry<String, Port> e : rig.outcomes().entrySet()) {
            outcomes.add(new ReplayReport.Outcome(e.getKey(), ReplayRig.sent(e.getValue()), ReplayRig.sentBytes(e.getValue()), rig.file(e.getKey())));
            lost += ReplayRig.lost(e.getValue());
        }
        // frames that end in no port: an AF_XDP socket (xskmap), or taken by tc (STOLEN, QUEUED, TRAP)
        Map<Outcome.Fate, Long> fates = pipeline.fates(rig.processor.port(rig.in));
        for (Outcome.Fate f : List.of(Outcome.Fate.TO_SOCKET, Outcome.Fate.CONSUMED)) {
            long n = fates.getOrDefault(f, 0L);
            if (n > 0) {
                outcomes.add(new ReplayReport.Outcome(f == Outcome.Fate.TO_SOCKET ? "xsk" : "stolen", n, 0, null));
            }
        }
        List<ReplayReport.HookLine> hooks = new ArrayList<>();
        List<ReplayReport.Latency> latency = new ArrayList<>();
        for (Hook h : Hook.values()) {
            boolean any = false;
            for (Port p : rig.pipelinePorts()) {
                HookStats s = pipeline.stats(rig.processor.port(p), h);
                if (s.runs() > 0) {
                    hooks.add(new ReplayReport.HookLine(hookName(h), p.name(), s.runs(), s.verdicts()));
                    any = true;
                }
            }
            if (any) {
                latency.add(latency(hookName(h), pipeline.latency(h)));
            }
        }
        latency.add(latency("total", pipeline.latencyEndToEnd()));
        List<String> faults = new ArrayList<>();
        for (Pipeline.FaultCount f : pipeline.faults()) {
            faults.add(String.format(Locale.ROOT, "%s (%s)%s: %s, %d time%s", f.fault().program(), hookName(f.fault().hook()),
                    f.fault().pc() >= 0 ? " insn " + f.fault().pc() : "", f.fault().message(), f.count(), f.count() == 1 ? "" : "s"));
        }
        int loops = rig.in.loopsDone();
        return new ReplayReport(capture, packets, bytes, seconds, loops, filter, rig.in.filteredOut(), outcomes, hooks, queues, latency,
                faults, lost, error, interrupted);
    }

    static String hookName(Hook h) {
        return switch (h) {
            case XDP -> "xdp";
            case TC_INGRESS -> "tc-ingress";
            case TC_EGRESS -> "tc-egress";
        };
    }

    private static ReplayReport.Latency latency(String stage, Histogram h) {
        if (h.getTotalCount() == 0) {
            return new ReplayReport.Latency(stage, 0, 0, 0, 0, 0);
        }
        return new ReplayReport.Latency(stage, h.getTotalCount(), h.getValueAtPercentile(50), h.getValueAtPercentile(99),
                h.getValueAtPercentile(99.9), h.getMaxValue());
    }
}
