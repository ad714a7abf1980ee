package dev.jxdp.control;

import dev.jxdp.hooks.Hook;
import dev.jxdp.hooks.Pipeline;
import dev.jxdp.nic.Datapath;
import dev.jxdp.nic.Port;
import dev.jxdp.nic.RxQueue;
import dev.jxdp.nic.TxQueue;
import dev.jxdp.nic.Worker;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Reads a running switch's counters into a {@link SwitchStats}: the NIC model's (queues, workers) and
 * the pipeline's (verdicts, fates, latency, faults), a port of one joined to the other by ifindex.
 * Counters are read while they change, each one whole (they are single longs), so a snapshot is
 * consistent per counter, not across counters, as {@code ip -s link} is.
 */
public final class StatsCollector {
    private final String instance;
    private final long startNanos = System.nanoTime();
    private final Datapath datapath;
    private final Pipeline pipeline;

    public StatsCollector(String instance, Datapath datapath, Pipeline pipeline) {
        this.instance = instance;
        this.datapath = datapath;
        this.pipeline = pipeline;
    }

    public SwitchStats collect() {
        List<SwitchStats.PortStats> ports = new ArrayList<>();
        for (Port p : datapath.ports()) {
            ports.add(port(p));
        }
        List<SwitchStats.WorkerStats> workers = new ArrayList<>();
        for (int i = 0; i < datapath.workerCount(); i++) {
            Worker w = datapath.worker(i);
            var c = w.counters;
            workers.add(new SwitchStats.WorkerStats(i, c.polls.get(), c.batches.get(), c.frames.get(), c.dropped.get(), c.aborted.get(),
                    c.toHost.get(), c.transmitted.get(), c.handedOver.get(), c.consumed.get(), c.undeliverable.get(), c.errors.get()));
        }
        List<SwitchStats.LatencyStats> latency = new ArrayList<>();
        for (Hook h : Hook.values()) {
            latency.add(latency(h.name().toLowerCase(Locale.ROOT), pipeline.latency(h)));
        }
        latency.add(latency("total", pipeline.latencyEndToEnd()));
        List<SwitchStats.FaultStats> faults = new ArrayList<>();
        for (var f : pipeline.faults()) {
            faults.add(new SwitchStats.FaultStats(f.fault().program(), f.fault().hook().name(), f.fault().pc(), f.fault().message(), f.count()));
        }
        return new SwitchStats(instance, ProcessHandle.current().pid(), (System.nanoTime() - startNanos) / 1_000_000, ports, workers,
                latency, faults);
    }

    private SwitchStats.PortStats port(Port p) {
        List<SwitchStats.RxQueueStats> rx = new ArrayList<>();
        for (int q = 0; q < p.rxQueueCount(); q++) {
            RxQueue r = p.rxQueue(q);
            rx.add(new SwitchStats.RxQueueStats(q, r.packets.get(), r.bytes.get(), r.drops.get(), r.missed.get()));
        }
        List<SwitchStats.TxQueueStats> tx = new ArrayList<>();
        for (int q = 0; q < p.txQueueCount(); q++) {
            TxQueue t = p.txQueue(q);
            tx.add(new SwitchStats.TxQueueStats(q, t.packets.get(), t.bytes.get(), t.errors.get(), t.dropped.get()));
        }
        List<SwitchStats.HookStats> hooks = new ArrayList<>();
        Map<String, Long> fates = new LinkedHashMap<>();
        dev.jxdp.hooks.Port hp = pipeline.port(p.ifindex());
        if (hp != null) {
            for (Hook h : Hook.values()) {
                var s = pipeline.stats(hp, h);
                hooks.add(new SwitchStats.HookStats(h.name(), programs(hp, h), s.runs(), new LinkedHashMap<>(s.verdicts())));
            }
            pipeline.fates(hp).forEach((f, n) -> fates.put(f.name().toLowerCase(Locale.ROOT), n));
        }
        if (p == datapath.host()) {
            // what the host sent is the host port's to account for, not the port it left by
            pipeline.hostFates().forEach((f, n) -> fates.put(f.name().toLowerCase(Locale.ROOT), n));
        }
        return new SwitchStats.PortStats(p.name(), p.ifindex(), p.describe(), p.state().name(), p.downReason(), p == datapath.host(),
                hp != null ? hp.device().mtu() : p.config().mtu(), p.rxErrors.get(), rx, tx, hooks, fates);
    }

    private static List<String> programs(dev.jxdp.hooks.Port p, Hook h) {
        List<String> names = new ArrayList<>();
        if (h == Hook.XDP) {
            p.xdp().entries().forEach(e -> names.add(e.program().name()));
        } else {
            var c = p.tc(h);
            c.tcx().forEach(x -> names.add(x.name()));
            c.classifiers().forEach(x -> names.add(x.program().name()));
        }
        return names;
    }

    private static SwitchStats.LatencyStats latency(String stage, Histogram h) {
        long n = h.getTotalCount();
        return new SwitchStats.LatencyStats(stage, n, h.getValueAtPercentile(50), h.getValueAtPercentile(90), h.getValueAtPercentile(99),
                h.getValueAtPercentile(99.9), h.getMaxValue(), n == 0 ? 0 : h.getMean());
    }
}
