package dev.jxdp.control;

import java.util.List;
import java.util.Map;

/**
 * What a running switch has counted, as {@code GET /stats} returns it (JSON through Jackson, field
 * names in bpftool's snake_case) and {@code /metrics} exposes it to Prometheus. Counters are totals
 * since the switch started; latencies are nanoseconds of the sampled frames.
 */
public record SwitchStats(String instance, long pid, long uptimeMs, List<PortStats> ports, List<WorkerStats> workers,
        List<LatencyStats> latency, List<FaultStats> faults) {

    /** One port: the NIC model's queue counters and the hooks' verdicts, joined by ifindex. */
    /** @param mtu the MTU frames to the port are held to now (its interface's, as far as its buffers hold) */
    public record PortStats(String name, int ifindex, String kind, String state, String downReason, boolean host, int mtu,
            long rxErrors, List<RxQueueStats> rx, List<TxQueueStats> tx, List<HookStats> hooks, Map<String, Long> fates) {}

    public record RxQueueStats(int queue, long packets, long bytes, long drops, long missed) {}

    public record TxQueueStats(int queue, long packets, long bytes, long errors, long dropped) {}

    /** A hook of a port: the programs attached (in the order they run), how often it ran, each verdict's count. */
    public record HookStats(String hook, List<String> programs, long runs, Map<String, Long> verdicts) {}

    public record WorkerStats(int worker, long polls, long batches, long frames, long dropped, long aborted, long toHost,
            long transmitted, long handedOver, long consumed, long undeliverable, long errors) {}

    /** Latency at one stage (a hook, or "total" for the whole path), from HdrHistogram. */
    public record LatencyStats(String stage, long samples, long p50Ns, long p90Ns, long p99Ns, long p999Ns, long maxNs,
            double meanNs) {}

    /** A program fault or XDP_ABORTED: where, the last message, how often. */
    public record FaultStats(String program, String hook, int pc, String message, long count) {}
}
