package dev.jxdp.bench;

import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * What a load test measured. Rates are over the measured interval only; byte rates count frames as
 * the programs see them (no FCS), and on the wire, where each frame also takes its 4-byte FCS, the
 * 8-byte preamble and start delimiter and the 12-byte inter-frame gap (Ethernet's layer-1 rate, the
 * one a 10G port's 14.88 Mpps of 64-byte frames fills).
 *
 * @param program what ran (objects and sections, per hook)
 * @param traffic where the frames came from
 * @param engine "jit" or "interpreter"
 * @param nanos the measured interval
 * @param workerPackets frames each worker took in during it
 * @param bytes frame bytes taken in (no FCS)
 * @param missed frames the source could not put on a full receive ring (rx_missed; only at a fixed
 *     rate, since at top speed the source waits for room): the workers did not keep up with the rate
 * @param verdicts each hook's verdicts, by hook name then verdict name (XDP_DROP, TC_ACT_OK, ...)
 * @param fates how the frames taken in ended, by fate (transmitted, to_host, dropped, aborted, ...: as
 *     {@code jxdp stats} names them): a redirect the target's MTU refused is a drop, not a transmit
 * @param latency end-to-end time through the hooks of the sampled frames (ns)
 * @param latencySampling one frame in this many was timed
 * @param kernel the kernel's figures for the same program, or null
 */
public record BenchResult(String program, String traffic, String engine, long nanos, long[] workerPackets, long bytes, long missed,
                          Map<String, Map<String, Long>> verdicts, Map<String, Long> fates, Histogram latency, int latencySampling, KernelFigures kernel) {
    /** Per-frame wire overhead the buffers do not hold: FCS 4 + preamble/SFD 8 + inter-frame gap 12. */
    public static final int WIRE_OVERHEAD = 24;

    /**
     * The kernel's run of the same program.
     *
     * @param mode how it ran ("BPF_PROG_TEST_RUN live frames on a veth", ...)
     * @param nsPerPacket the kernel's mean time per frame, per worker, as the test run measured it
     *     (while its thread ran)
     * @param mpps all workers together, over the wall-clock time, or ({@code wallClock} false) by the
     *     test runs' own times
     * @param wallClock whether {@code mpps} is by the wall clock, as jxdp's is
     */
    public record KernelFigures(String mode, List<Double> nsPerPacket, double mpps, boolean wallClock) {}

    public BenchResult {
        workerPackets = workerPackets.clone();
    }

    @Override
    public long[] workerPackets() {
        return workerPackets.clone();
    }

    public int workers() {
        return workerPackets.length;
    }

    public long packets() {
        long n = 0;
        for (long p : workerPackets) {
            n += p;
        }
        return n;
    }

    public double seconds() {
        return nanos / 1e9;
    }

    public double mpps() {
        return packets() / seconds() / 1e6;
    }

    public double workerMpps(int w) {
        return workerPackets[w] / seconds() / 1e6;
    }

    /** A worker's time per frame: the interval over its frames (each worker is one thread, busy the whole time). */
    public double workerNsPerPacket(int w) {
        return workerPackets[w] == 0 ? Double.NaN : nanos / (double) workerPackets[w];
    }

    public double gbitFrames() {
        return bytes * 8 / seconds() / 1e9;
    }

    public double gbitWire() {
        return (bytes + WIRE_OVERHEAD * packets()) * 8 / seconds() / 1e9;
    }

    /**
     * jxdp's Mpps over the kernel's, both over wall-clock time with the same number of workers (the
     * kernel's own per-frame figure leaves out the time its thread was preempted, jxdp's does not),
     * or NaN without a kernel run.
     */
    public double ratioToKernel() {
        return kernel == null ? Double.NaN : mpps() / kernel.mpps();
    }
}
