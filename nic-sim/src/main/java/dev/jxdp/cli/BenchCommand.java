package dev.jxdp.cli;

import dev.jxdp.bench.BenchReport;
import dev.jxdp.bench.BenchResult;
import dev.jxdp.bench.KernelLiveRun;
import dev.jxdp.bench.LoadTest;
import dev.jxdp.bench.PercentilePlot;
import dev.jxdp.bench.ProgramChoice;
import dev.jxdp.bench.Traffic;
import dev.jxdp.nic.port.gen.SizeMix;
import dev.jxdp.nic.port.pcap.PcapReader;
import dev.jxdp.obj.ProgramType;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code jxdp bench}: a load test of programs at the XDP and tc hooks of the simulated NIC, with the
 * generator or a capture as traffic; prints rates, each worker's share, the verdicts and the latency
 * distribution, and with {@code --kernel} the same XDP program in the kernel's live-frames test run.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Load-test XDP/tc programs on the NIC model: Mpps, Gbit/s, ns per packet per worker, verdicts, latency percentiles.",
        footer = {"", "Gbit/s is given twice: of the frames as programs see them (no FCS), and on the wire, where each frame",
                "also takes 24 bytes (FCS 4, preamble and delimiter 8, inter-frame gap 12).",
                "Latency is end to end through the hooks, one frame in --sampling timed, printed in microseconds as",
                "HdrHistogram's percentile distribution (the .hgrm layout)."})
final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--xdp", paramLabel = "OBJ[:SEC]", description = "XDP program on the receiving port (eth0).")
    String xdp;

    @Option(names = "--tc-ingress", paramLabel = "OBJ[:SEC]", description = "tc ingress program on eth0.")
    String tcIngress;

    @Option(names = "--tc-egress", paramLabel = "OBJ[:SEC]", description = "tc egress program on eth0 and eth1.")
    String tcEgress;

    @ArgGroup(exclusive = true)
    Source source = new Source();

    static final class Source {
        @Option(names = "--gen", paramLabel = "size=64|imix,flows=N[,seed=S]", description = "Generated traffic (default: size=64,flows=1).")
        String gen;

        @Option(names = "--pcap", paramLabel = "FILE", description = "Replay a capture in a loop.")
        Path pcap;
    }

    /** How much to measure: a time or a number of frames, one at most (as replay's timing options). */
    @ArgGroup(exclusive = true)
    Length length = new Length();

    static final class Length {
        @Option(names = "--duration", paramLabel = "TIME", converter = TimeConverter.class,
                description = "How long to measure, as 10s, 500ms or 1m (default: " + DEFAULT_DURATION + ").")
        Time duration;

        @Option(names = "--count", paramLabel = "N", description = "Send exactly N generated frames, without loss, and measure them all (instead of --duration).")
        Long count;
    }

    static final String DEFAULT_DURATION = "10s";

    @Option(names = "--rate", paramLabel = "PPS", description = "Frames per second (default: top speed).")
    double rate;

    @Option(names = "--workers", paramLabel = "W", defaultValue = "1", description = "Poll-mode workers (default: ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--warmup", paramLabel = "TIME", defaultValue = "2s", converter = DurationConverter.class,
            description = "How long to run before measuring (default: ${DEFAULT-VALUE}).")
    Duration warmup;

    @Option(names = "--devmap", paramLabel = "MAP", description = "Set slot 0 of the XDP object's devmap MAP to eth1 (the redirect target).")
    String devmap;

    @Option(names = "--mtu", paramLabel = "N", defaultValue = "1500",
            description = "MTU of every port (default ${DEFAULT-VALUE}): an XDP redirect takes a frame of at most MTU + 18 bytes, as the kernel's does.")
    int mtu;

    @Option(names = "--sampling", paramLabel = "N", defaultValue = "" + LoadTest.DEFAULT_SAMPLING, description = "Time one frame in N for the latency (a power of two; default: ${DEFAULT-VALUE}).")
    int sampling;

    @Option(names = "--hgrm", paramLabel = "FILE", description = "Write the latency percentile distribution (HdrHistogram .hgrm, microseconds).")
    Path hgrm;

    @Option(names = "--plot", paramLabel = "FILE.png", description = "Draw the latency percentile curve as a PNG.")
    Path plot;

    @Option(names = "--kernel", description = "Also run the programs in the kernel (the XDP program in BPF_PROG_TEST_RUN's live frames on a veth, tc ones attached to it) and print the ratio.")
    boolean kernel;

    @Option(names = "--interpret", description = "Use the reference interpreter instead of the JIT.")
    boolean interpret;

    @Mixin
    LoadArgs load;

    @Override
    public Integer call() throws Exception {
        Traffic traffic;
        if (source.pcap != null) {
            traffic = new Traffic.Pcap(existing(source.pcap, "--pcap"));
        } else {
            try {
                traffic = Traffic.parseGenerator(source.gen == null ? "" : source.gen);
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage()); // --gen's text: what it says is the user's to fix
            }
        }
        if (xdp == null && tcIngress == null && tcEgress == null) {
            throw new UsageException("nothing to run: give --xdp, --tc-ingress or --tc-egress");
        }
        if (devmap != null && xdp == null) {
            throw new UsageException("--devmap names a map of the --xdp object, and there is none");
        }
        // said as the user wrote them: LoadTest's own checks would print a Duration (PT0S), and take a
        // count of 0 for "no count", running for the default duration instead
        if (length.count != null && length.count <= 0) {
            throw new UsageException("--count must be positive, not " + length.count);
        }
        if (length.duration != null && !length.duration.value().isPositive()) {
            throw new UsageException("--duration must be positive, not " + length.duration.text());
        }
        if (hgrm != null) {
            OutputFiles.writable(hgrm, "--hgrm");
        }
        if (plot != null) {
            // The file named, PNG whatever its name would be the other choice; a name that promises
            // another format (x.jpg, x.svg) is more likely a wish the plot cannot meet than a name for a PNG.
            if (!plot.toString().toLowerCase(java.util.Locale.ROOT).endsWith(".png")) {
                throw new UsageException("--plot " + plot + ": the plot is a PNG; name a .png file");
            }
            OutputFiles.writable(plot, "--plot");
        }
        long count = length.count == null ? 0 : length.count;
        Duration duration = length.duration != null ? length.duration.value() : new DurationConverter().convert(DEFAULT_DURATION);
        if (workers < 1 || workers > 256) {
            throw new UsageException("--workers must be 1 to 256, not " + workers);
        }
        if (rate < 0 || Double.isNaN(rate) || Double.isInfinite(rate)) {
            throw new UsageException("--rate must be a positive number of packets per second, not " + UsageException.plain(rate));
        }
        if (sampling < 0 || sampling != 0 && Integer.bitCount(sampling) != 1) {
            throw new UsageException("--sampling must be 0 or a power of two, not " + sampling);
        }
        LoadTest.Spec run = new LoadTest.Spec(choice(xdp, "--xdp", ProgramType.XDP), choice(tcIngress, "--tc-ingress", ProgramType.SCHED_CLS),
                choice(tcEgress, "--tc-egress", ProgramType.SCHED_CLS), devmap, traffic, rate, workers, duration, count > 0 ? Duration.ZERO : warmup,
                count, interpret, sampling, mtu, load.options());
        KernelTraffic kernelTraffic = null;
        if (kernel) {
            checkKernel(run);
            kernelTraffic = kernelTraffic(run.traffic()); // a capture the kernel cannot take is refused before the jxdp run
        } else if (traffic instanceof Traffic.Pcap p) {
            requireFrames(p.file()); // as kernelTraffic's reading of it does with --kernel
        }
        LoadTest.withoutLeakTracking();
        BenchResult result = LoadTest.run(run);
        if (kernel) {
            result = withKernel(result, run, kernelTraffic);
        }
        if (hgrm != null) {
            BenchReport.writeHgrm(result, hgrm);
        }
        if (plot != null) {
            PercentilePlot.write(result.latency(), "jxdp bench: " + result.program() + ", " + result.workers() + " worker(s)", plot);
        }
        PrintWriter out = spec.commandLine().getOut();
        Main.Output mode = Main.output(spec);
        if (mode == Main.Output.PLAIN) {
            BenchReport.printText(result, out);
        } else {
            Json.print(out, BenchReport.json(result), mode == Main.Output.PRETTY_JSON);
        }
        return 0;
    }

    /** {@code OBJ[:SEC]} as replay takes it: the program of the hook's type, by section or name. */
    private ProgramChoice choice(String text, String option, ProgramType type) throws Exception {
        if (text == null) {
            return null;
        }
        HookProgram h = HookProgram.parse(option, text);
        existing(h.object(), option);
        return new ProgramChoice(h.object(), h.choose(load.load(h.object()).programs(), type).name());
    }

    private static Path existing(Path p, String option) throws IOException {
        return InputFiles.readable(p, option);
    }

    /** What --kernel can compare, refused before the jxdp run rather than after it. */
    private static void checkKernel(LoadTest.Spec run) {
        if (run.xdp() == null) {
            throw new IllegalArgumentException("--kernel runs the XDP program in the kernel's live-frames test run: give --xdp");
        }
        if (run.mtu() > KERNEL_VETH_MAX_MTU) {
            throw new IllegalArgumentException("--kernel: --mtu " + run.mtu() + ": the kernel reference's veths take at most " + KERNEL_VETH_MAX_MTU
                    + " (a veth whose peer runs XDP holds a frame in a page)");
        }
        String why = KernelProgRun.unavailableReason();
        if (why != null) {
            throw new IllegalStateException("--kernel: " + why);
        }
    }

    /** One frame the kernel's test run repeats, and its weight in the traffic. */
    private record KernelFrame(byte[] frame, long weight) {}

    /** The frames the kernel runs for the traffic, and what the mode line says of them. */
    private record KernelTraffic(List<KernelFrame> frames, String what) {}

    private static KernelTraffic kernelTraffic(Traffic traffic) throws IOException {
        List<KernelFrame> mix = new ArrayList<>();
        return switch (traffic) {
            case Traffic.Generated g -> {
                List<SizeMix.Imix.Share> shares = switch (g.mix()) {
                    case SizeMix.Fixed f -> List.of(new SizeMix.Imix.Share(f.size(), 12));
                    case SizeMix.Imix i -> SizeMix.Imix.SHARES;
                };
                for (SizeMix.Imix.Share share : shares) {
                    mix.add(new KernelFrame(Traffic.Generated.flowZeroFrame(share.size() - SizeMix.FCS), share.inTwelve()));
                }
                yield new KernelTraffic(mix, shares.size() > 1 ? ", IMIX: " + imixSizes() + "-byte frames in turn, " + SizeMix.Imix.ratio() : "");
            }
            case Traffic.Pcap p -> {
                String what = captureFrames(p.file(), mix);
                yield new KernelTraffic(mix, what);
            }
        };
    }

    /** The most distinct frames of a capture the kernel runs (one test run each). */
    static final int KERNEL_CAPTURE_FRAMES = 64;
    /** The largest frame a live-frames test run takes: a page less XDP's headroom and skb_shared_info. */
    static final int KERNEL_LIVE_MAX = 4096 - 256 - 320;
    /** The largest MTU of a veth whose peer runs a (non-frags) XDP program: that frame less its Ethernet header (veth_xdp_set). */
    static final int KERNEL_VETH_MAX_MTU = KERNEL_LIVE_MAX - 14;

    /**
     * The kernel's figures for the same XDP program, as many frames per worker as jxdp's busiest
     * worker took (at least a million, so that the kernel's figure is not all start-up), with the same
     * number of workers. A live-frames test run repeats one frame, so mixed traffic is its frames in
     * turn, each with its share, in one run of the threads (one wall clock, as for a single frame): the
     * generator's first flow at each size (IMIX: 7:4:1), or a capture's distinct frames in the
     * proportions it holds them (the {@value #KERNEL_CAPTURE_FRAMES} most frequent).
     */
    private BenchResult withKernel(BenchResult r, LoadTest.Spec run, KernelTraffic traffic) throws Exception {
        String xdpName = run.xdp().program();
        Path drop = dropObject();
        long busiest = 0;
        for (long p : r.workerPackets()) {
            busiest = Math.max(busiest, p);
        }
        long frames = Math.min(Math.max(busiest, 1_000_000), 100_000_000);
        List<KernelFrame> mix = traffic.frames();
        long weights = mix.stream().mapToLong(KernelFrame::weight).sum();
        List<KernelLiveRun.Share> shares = new ArrayList<>();
        for (KernelFrame f : mix) {
            shares.add(new KernelLiveRun.Share(f.frame(), Math.max(1, frames * f.weight() / weights)));
        }
        KernelLiveRun.Setup setup = new KernelLiveRun.Setup(run.xdp().object(), xdpName, tc(run.tcIngress()), tc(run.tcEgress()), run.devmap(), run.mtu(), drop);
        KernelLiveRun.Result k;
        try (KernelLiveRun live = KernelLiveRun.open(setup, "bnb")) {
            k = live.run(shares, run.workers(), 0);
        }
        // Mixed traffic is one test-run call per frame at least, each with tens of milliseconds of set-up
        // and teardown: by the wall clock a capture's many small shares would measure those, not XDP.
        boolean mixed = shares.size() > 1;
        String mode = "BPF_PROG_TEST_RUN live frames on a veth, " + frames + " frames per worker" + traffic.what();
        return new BenchResult(r.program(), r.traffic(), r.engine(), r.nanos(), r.workerPackets(), r.bytes(), r.missed(), r.verdicts(), r.fates(), r.latency(),
                r.latencySampling(), new BenchResult.KernelFigures(mode, k.workers().stream().map(KernelLiveRun.WorkerResult::nsPerFrame).toList(),
                        mixed ? k.mppsByRunTime() : k.mpps(), !mixed));
    }

    /**
     * Reads the capture through, so that a corrupt or truncated one is refused in one line before the
     * run (the looped source would otherwise go down in its first pass and leave a report of nothing),
     * and an empty one too.
     */
    private static void requireFrames(Path capture) throws IOException {
        try (PcapReader in = PcapReader.open(capture)) {
            long records = 0;
            while (in.skip()) {
                records++;
            }
            if (records == 0) {
                throw new IllegalArgumentException(capture + " holds no frame (--pcap)");
            }
        }
    }

    /** IMIX's sizes in words: "64-, 594- and 1518". */
    private static String imixSizes() {
        int[] sizes = SizeMix.Imix.sizes();
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < sizes.length; i++) {
            b.append(i == 0 ? "" : i == sizes.length - 1 ? "- and " : "-, ").append(sizes[i]);
        }
        return b.toString();
    }

    /**
     * A capture's distinct frames with how often each occurs, the most frequent first (at most
     * {@value #KERNEL_CAPTURE_FRAMES}), into {@code mix}; returns what the mode line says of them.
     */
    private static String captureFrames(Path capture, List<KernelFrame> mix) throws IOException {
        Map<ByteBuffer, long[]> counts = new LinkedHashMap<>();
        long records = 0;
        try (PcapReader in = PcapReader.open(capture)) {
            for (byte[] b; (b = in.nextBytes()) != null; ) {
                records++;
                if (b.length < 14 || b.length > KERNEL_LIVE_MAX) {
                    throw new IllegalArgumentException("--kernel: record " + records + " of " + capture + " is " + b.length
                            + " bytes; the kernel's live-frames test run takes 14 to " + KERNEL_LIVE_MAX);
                }
                counts.computeIfAbsent(ByteBuffer.wrap(b), k -> new long[1])[0]++;
            }
        }
        if (records == 0) {
            throw new IllegalArgumentException("--kernel: " + capture + " holds no frame");
        }
        List<Map.Entry<ByteBuffer, long[]>> byCount = new ArrayList<>(counts.entrySet());
        byCount.sort((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0])); // stable: ties keep the capture's order
        for (Map.Entry<ByteBuffer, long[]> e : byCount.subList(0, Math.min(KERNEL_CAPTURE_FRAMES, byCount.size()))) {
            mix.add(new KernelFrame(e.getKey().array(), e.getValue()[0]));
        }
        return ", the capture's " + (byCount.size() > KERNEL_CAPTURE_FRAMES ? KERNEL_CAPTURE_FRAMES + " most frequent of its " : "")
                + counts.size() + " distinct frames in turn, in their proportions";
    }

    /**
     * programs/bin/xdp_drop.o, which the kernel reference's veth peers run: from -Djxdp.programs, else
     * the nearest programs/bin at or above the working directory.
     */
    private static Path dropObject() throws IOException {
        String dir = System.getProperty("jxdp.programs");
        if (dir != null) {
            return existing(Path.of(dir).resolve("xdp_drop.o"), "-Djxdp.programs");
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path drop = p.resolve("programs/bin/xdp_drop.o");
            if (Files.isRegularFile(drop)) {
                return drop;
            }
        }
        throw new NoSuchFileException("programs/bin/xdp_drop.o (the kernel reference's veth peers run it: run from the repository or set -Djxdp.programs=DIR)");
    }

    /** A chosen tc program as tc loads it, by its ELF section; null for none. */
    private KernelLiveRun.TcProgram tc(ProgramChoice c) throws Exception {
        if (c == null) {
            return null;
        }
        String section = load.load(c.object()).programs().stream().filter(p -> p.name().equals(c.program())).findFirst().orElseThrow().section();
        return new KernelLiveRun.TcProgram(c.object(), section);
    }

    /** A --duration as given and as it converts. */
    record Time(String text, Duration value) {}

    static final class TimeConverter implements CommandLine.ITypeConverter<Time> {
        @Override
        public Time convert(String value) {
            return new Time(value, new DurationConverter().convert(value));
        }
    }

    /** 10s, 500ms, 2m, 1h; a bare number is seconds. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        private static final Pattern FORM = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)?");

        @Override
        public Duration convert(String value) {
            Matcher m = FORM.matcher(value.strip());
            if (!m.matches()) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a duration (examples: 10s, 500ms, 2m)");
            }
            double n = Double.parseDouble(m.group(1));
            String unit = m.group(2) == null ? "s" : m.group(2);
            double ms = switch (unit) {
                case "ms" -> n;
                case "s" -> n * 1e3;
                case "m" -> n * 60e3;
                default -> n * 3600e3;
            };
            return Duration.ofNanos((long) (ms * 1e6));
        }
    }
}
