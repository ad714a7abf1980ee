package dev.jxdp.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * How {@code jxdp bench} shows a {@link BenchResult}: plain text, a JSON tree, and the latency as an
 * .hgrm file (HdrHistogram's percentile distribution, as HistogramLogProcessor writes it, in
 * microseconds, which HdrHistogram's plotter reads).
 */
public final class BenchReport {
    /** .hgrm values are in microseconds; the histograms record nanoseconds. */
    static final double NS_PER_US = 1000.0;
    /** HistogramLogProcessor's default resolution, for files. */
    private static final int FILE_TICKS = 5;
    /** A screenful: 0, 50, 75, 87.5 ... 99.99x%, the maximum. */
    private static final int SCREEN_TICKS = 1;

    private BenchReport() {}

    /** "NAME n (p%), ...": each count with its share of them all. */
    private static String shares(Map<String, Long> counts) {
        long all = counts.values().stream().mapToLong(Long::longValue).sum();
        List<String> parts = new ArrayList<>();
        counts.forEach((name, n) -> parts.add(String.format(Locale.ROOT, "%s %d (%.1f%%)", name, n, 100.0 * n / all)));
        return String.join(", ", parts);
    }

    public static void printText(BenchResult r, PrintWriter out) {
        out.printf(Locale.ROOT, "program:    %s (%s)%n", r.program(), r.engine());
        out.printf(Locale.ROOT, "traffic:    %s%n", r.traffic());
        out.printf(Locale.ROOT, "workers:    %d, %.3f s measured%n", r.workers(), r.seconds());
        out.printf(Locale.ROOT, "packets:    %d (rx_missed %d: %s)%n", r.packets(), r.missed(),
                r.missed() > 0 ? "the rings overflowed: the workers fell behind the rate" : "no ring overflowed");
        out.printf(Locale.ROOT, "rate:       %.3f Mpps, %.3f Gbit/s of frames, %.3f Gbit/s on the wire (+%d B per frame: FCS, preamble, gap)%n",
                r.mpps(), r.gbitFrames(), r.gbitWire(), BenchResult.WIRE_OVERHEAD);
        for (int w = 0; w < r.workers(); w++) {
            out.printf(Locale.ROOT, "worker %d:   %d packets, %.3f Mpps, %.1f ns/packet%n", w, r.workerPackets()[w], r.workerMpps(w),
                    r.workerNsPerPacket(w));
        }
        for (Map.Entry<String, Map<String, Long>> hook : r.verdicts().entrySet()) {
            out.printf(Locale.ROOT, "%-11s %s%n", hook.getKey() + ":", shares(hook.getValue()));
        }
        if (!r.fates().isEmpty()) {
            out.printf(Locale.ROOT, "%-11s %s%n", "fates:", shares(r.fates()));
        }
        if (r.kernel() != null) {
            BenchResult.KernelFigures k = r.kernel();
            List<String> per = k.nsPerPacket().stream().map(ns -> String.format(Locale.ROOT, "%.1f", ns)).toList();
            out.printf(Locale.ROOT, "kernel:     %.3f Mpps, %s ns/packet per worker (%s)%n", k.mpps(), String.join(", ", per), k.mode());
            out.printf(Locale.ROOT, "jxdp/kernel: %.4f (Mpps, %s)%n", r.ratioToKernel(),
                    k.wallClock() ? "both by wall clock" : "jxdp's by wall clock, the kernel's by its test runs' own times");
        }
        out.printf(Locale.ROOT, "latency (us, end to end through the hooks, 1 frame in %d timed):%n", r.latencySampling());
        out.print(percentiles(r.latency(), SCREEN_TICKS));
        out.flush();
    }

    /**
     * The percentile distribution, in HistogramLogProcessor's .hgrm layout, values in microseconds,
     * {@code ticks} rows per halving of the distance to 100%.
     */
    public static String percentiles(Histogram h, int ticks) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream ps = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            h.outputPercentileDistribution(ps, ticks, NS_PER_US);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    public static void writeHgrm(BenchResult r, Path file) throws IOException {
        Files.writeString(file, percentiles(r.latency(), FILE_TICKS));
    }

    /** The result as JSON fields, in the order the text shows them; rates as numbers, not strings. */
    public static Map<String, Object> json(BenchResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("program", r.program());
        m.put("engine", r.engine());
        m.put("traffic", r.traffic());
        m.put("workers", r.workers());
        m.put("seconds", r.seconds());
        m.put("packets", r.packets());
        m.put("bytes", r.bytes());
        m.put("rx_missed", r.missed());
        m.put("mpps", r.mpps());
        m.put("gbit_frames", r.gbitFrames());
        m.put("gbit_wire", r.gbitWire());
        List<Map<String, Object>> workers = new ArrayList<>();
        for (int w = 0; w < r.workers(); w++) {
            Map<String, Object> wm = new LinkedHashMap<>();
            wm.put("worker", w);
            wm.put("packets", r.workerPackets()[w]);
            wm.put("mpps", r.workerMpps(w));
            wm.put("ns_per_packet", r.workerNsPerPacket(w));
            workers.add(wm);
        }
        m.put("per_worker", workers);
        m.put("verdicts", r.verdicts());
        m.put("fates", r.fates());
        Histogram h = r.latency();
        Map<String, Object> lat = new LinkedHashMap<>();
        lat.put("unit", "ns");
        lat.put("sampling", r.latencySampling());
        lat.put("count", h.getTotalCount());
        lat.put("min", h.getTotalCount() == 0 ? 0 : h.getMinValue());
        lat.put("mean", h.getMean());
        for (double p : new double[] {50, 90, 99, 99.9, 99.99}) {
            lat.put("p" + String.valueOf(p).replaceAll("\\.0$", ""), h.getValueAtPercentile(p));
        }
        lat.put("max", h.getMaxValue());
        m.put("latency", lat);
        if (r.kernel() != null) {
            Map<String, Object> k = new LinkedHashMap<>();
            k.put("mode", r.kernel().mode());
            k.put("mpps", r.kernel().mpps());
            k.put("mpps_by", r.kernel().wallClock() ? "wall clock" : "test run time");
            k.put("ns_per_packet", r.kernel().nsPerPacket());
            m.put("kernel", k);
            m.put("ratio_to_kernel", r.ratioToKernel());
        }
        return m;
    }
}
