package dev.jxdp.cli;

import dev.jxdp.exec.Engine;
import dev.jxdp.exec.Interpreter;
import dev.jxdp.hooks.Hook;
import dev.jxdp.hooks.Pipeline;
import dev.jxdp.hooks.RouteTable;
import dev.jxdp.jit.Jit;
import dev.jxdp.load.LoadedObject;
import dev.jxdp.nic.Datapath;
import dev.jxdp.nic.PortState;
import dev.jxdp.nic.port.pcap.Pacing;
import dev.jxdp.nic.port.pcap.PcapFilter;
import dev.jxdp.nic.port.pcap.PcapReader;
import dev.jxdp.nic.port.pcap.PcapSource;
import dev.jxdp.obj.ElfFile;
import dev.jxdp.obj.ObjectSpec;
import dev.jxdp.obj.ProgramSpec;
import dev.jxdp.obj.ProgramType;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code jxdp replay IN.pcap [--xdp OBJ[:SEC]] [--tc-ingress OBJ[:SEC]] [--tc-egress OBJ[:SEC]]
 * [--out-dir DIR] ...}: a capture through the XDP/tc pipeline of the NIC simulator, paced as tcpreplay
 * paces it, each frame's outcome recorded in its own pcap file ({@link ReplayRig}), and a summary of
 * what happened ({@link ReplayReport}). The replay is lossless: the capture waits for the workers.
 */
@Command(name = "replay", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Replay a capture through XDP and tc programs; write one pcap per outcome and print a summary.",
        footer = {"", "Outputs in --out-dir: pass.pcap (to the host), tx.pcap (out of the capture's port), redirect-N.pcap "
                + "(out of --port N), drop.pcap and aborted.pcap (as XDP left them). The capture's port is ifindex 2."})
final class ReplayCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "IN.pcap", description = "A pcap or pcapng capture of Ethernet frames.")
    Path capture;

    @Option(names = "--xdp", paramLabel = "OBJ[:SEC]", description = "XDP program of the capture's port (section or program name after the colon).")
    String xdp;

    @Option(names = "--tc-ingress", paramLabel = "OBJ[:SEC]", description = "tc ingress program of the capture's port.")
    String tcIngress;

    @Option(names = "--tc-egress", paramLabel = "OBJ[:SEC]", description = "tc egress program of every port.")
    String tcEgress;

    @Option(names = "--out-dir", paramLabel = "DIR", description = "Write the outcome pcaps here (created if needed); without it frames are only counted.")
    Path outDir;

    @Option(names = "--port", paramLabel = "IFINDEX", description = "Add a port redirects can reach (3 to 999); its frames go to redirect-IFINDEX.pcap. Repeatable.")
    List<Integer> ports = new ArrayList<>();

    @Option(names = "--workers", paramLabel = "N", defaultValue = "1", description = "Poll-mode workers, the CPUs of the programs (default ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--queues", paramLabel = "N", description = "Receive queues of the capture's port, spread by RSS (default: one per worker).")
    Integer queues;

    @Option(names = "--mtu", paramLabel = "N", defaultValue = "1500",
            description = "MTU of every port (default ${DEFAULT-VALUE}): an XDP redirect takes a frame of at most MTU + 18 bytes, as the kernel's does.")
    int mtu;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Timing timing;

    /** tcpreplay's timing options, one at most. */
    static final class Timing {
        @Option(names = "--topspeed", description = "As fast as possible (tcpreplay -t).")
        boolean topspeed;

        @Option(names = "--multiplier", paramLabel = "X", description = "The captured timing, X times faster (tcpreplay -x).")
        Double multiplier;

        @Option(names = "--pps", paramLabel = "N", description = "N packets per second (tcpreplay -p).")
        Double pps;

        @Option(names = "--mbps", paramLabel = "N", description = "N megabits per second (tcpreplay -M).")
        Double mbps;
    }

    @Option(names = "--loop", paramLabel = "N", defaultValue = "1", description = "Replay the capture N times, 0 for ever (tcpreplay -l; default ${DEFAULT-VALUE}).")
    int loop;

    @Option(names = "--filter", paramLabel = "EXPR", description = "Only frames this tcpdump expression accepts enter (libpcap's compiler).")
    String filter;

    @Option(names = "--maps", paramLabel = "[NAME=]FILE",
            description = "Initial map contents, as prog run --maps: 'map dump -j' output, or a --dump-maps file. Maps that hold kernel objects"
                    + " (devmaps, prog arrays...) and read-only ones keep the object's initial state. Repeatable.")
    List<String> maps = new ArrayList<>();

    @Option(names = "--dump-maps", paramLabel = "FILE", description = "Write the maps' final contents, {\"NAME\": [entries as 'map dump -j']}.")
    Path dumpMaps;

    @Option(names = "--interpret", description = "Use the reference interpreter instead of the JIT.")
    boolean interpret;

    @Mixin
    RouteArgs routing;

    @Mixin
    LoadArgs load;

    /**
     * The NIC model logs a port going down (a corrupt record) as a warning; the command reports it as
     * its one error line instead, so the log speaks only with JXDP_DEBUG. Held here: the logging
     * framework keeps loggers only weakly.
     */
    private static final java.util.logging.Logger NIC_LOG = java.util.logging.Logger.getLogger("dev.jxdp.nic");

    /** How long the shutdown hook of an interrupted replay waits for its summary and --dump-maps. */
    private static final long REPORT_SECONDS = 30;

    /** Set by the shutdown hook: SIGINT or SIGTERM stopped the replay. */
    private volatile boolean interrupted;

    /** An object loaded for the pipeline, with what --dump-maps needs. */
    private record Loaded(ObjectSpec spec, ElfFile elf, LoadedObject object) {}

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (System.getenv("JXDP_DEBUG") == null) {
            NIC_LOG.setLevel(java.util.logging.Level.SEVERE);
        }
        if (workers < 1 || workers > 256) {
            throw new UsageException("--workers " + workers + ": 1 to 256");
        }
        int nQueues = queues == null ? Math.min(workers, 64) : queues;
        if (nQueues < 1 || nQueues > 64) {
            throw new UsageException("--queues " + nQueues + ": 1 to 64");
        }
        if (loop < 0) {
            throw new UsageException("--loop " + loop + ": 0 (for ever) or more");
        }
        PcapFilter compiled = null;
        if (filter != null) {
            try {
                compiled = PcapFilter.compile(filter);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--filter '" + filter + "': " + e.getMessage());
            }
        }
        if (outDir != null) {
            // Path.of("") is the working directory: an empty --out-dir (an unset variable) would fill it
            if (outDir.toString().isEmpty()) {
                throw new IllegalArgumentException("--out-dir '': an empty path");
            }
            if (Files.exists(outDir) && !Files.isDirectory(outDir)) {
                throw new java.nio.file.FileSystemException(outDir + " (--out-dir)", null, "not a directory");
            }
        }
        if (dumpMaps != null) {
            OutputFiles.writable(dumpMaps, "--dump-maps");
        }
        PcapReader.open(InputFiles.readable(capture, null)).close(); // a missing file, not a capture, not Ethernet: said before anything starts
        Map<Hook, HookProgram> wanted = new LinkedHashMap<>();
        if (xdp != null) {
            wanted.put(Hook.XDP, HookProgram.parse("--xdp", xdp));
        }
        if (tcIngress != null) {
            wanted.put(Hook.TC_INGRESS, HookProgram.parse("--tc-ingress", tcIngress));
        }
        if (tcEgress != null) {
            wanted.put(Hook.TC_EGRESS, HookProgram.parse("--tc-egress", tcEgress));
        }
        Map<Path, ObjectSpec> specs = new LinkedHashMap<>();
        Map<Hook, ProgramSpec> chosen = new LinkedHashMap<>();
        for (Map.Entry<Hook, HookProgram> e : wanted.entrySet()) {
            HookProgram h = e.getValue();
            Path key = h.object().toAbsolutePath().normalize();
            if (!specs.containsKey(key)) {
                specs.put(key, load.load(h.object(), h.option()));
            }
            chosen.put(e.getKey(), h.choose(specs.get(key).programs(), e.getKey() == Hook.XDP ? ProgramType.XDP : ProgramType.SCHED_CLS));
        }
        MapsFile initial = MapsFile.read(maps);
        if (!maps.isEmpty() && specs.isEmpty()) {
            throw new IllegalArgumentException("--maps: no program given, so there are no maps to fill");
        }
        PcapSource.Options options = PcapSource.Options.defaults().withPacing(pacing()).withLoops(loop).withLossless(true).withFilter(compiled);
        Engine engine = interpret ? new Interpreter() : new Jit();

        RouteTable routes = new RouteTable();
        routing.fill(routes, name -> ReplayRig.ifindex(name, ports));
        ReplayRig rig = new ReplayRig(capture, options, workers, nQueues, ports, outDir, routes, mtu);
        Datapath dp = rig.datapath();
        Map<Path, Loaded> objects = new LinkedHashMap<>();
        // SIGINT or SIGTERM (the JVM's exit) ends the replay as Ctrl-C ends tcpreplay's, with the summary.
        // This hook stops the capture and lets the workers finish what is in flight (Datapath.close, bounded),
        // which flushes and closes the pcaps; this thread, no longer waiting for the capture, then prints the
        // summary and writes --dump-maps as after a finished replay. The JVM halts as soon as its hooks
        // return, so the hook waits for that (bounded too: a stuck replay still exits). Main's System.exit
        // then only blocks, and the status stays the signal's, 130 or 143, as jxdp switch's: tcpreplay exits
        // 0 after SIGINT (and dies silently on SIGTERM), but a shutdown hook cannot change the status, and
        // a script can tell an interrupted replay from a finished one.
        CountDownLatch reported = new CountDownLatch(1);
        Thread onSignal = Thread.ofPlatform().name("jxdp-replay-interrupt").unstarted(() -> {
            synchronized (dp) { // the datapath's lock, which dp.start() below is taken under too
                interrupted = true;
                dp.close();
            }
            try {
                reported.await(REPORT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Runtime.getRuntime().addShutdownHook(onSignal);
        try {
            Pipeline pipeline = rig.processor.pipeline();
            for (Map.Entry<Path, ObjectSpec> e : specs.entrySet()) {
                ElfFile elf = ElfFile.parse(e.getKey().toString(), Files.readAllBytes(e.getKey()));
                objects.put(e.getKey(), new Loaded(e.getValue(), elf, LoadedObject.load(e.getValue(), rig.processor.objectOptions().withEngine(engine))));
            }
            applyMaps(initial, objects.values().stream().map(Loaded::object).toList());
            for (Map.Entry<Hook, ProgramSpec> e : chosen.entrySet()) {
                LoadedObject o = objects.get(wanted.get(e.getKey()).object().toAbsolutePath().normalize()).object();
                var program = o.program(e.getValue().name());
                switch (e.getKey()) {
                    case XDP -> pipeline.attachXdp(rig.processor.port(rig.in), program);
                    case TC_INGRESS -> pipeline.attachTc(rig.processor.port(rig.in), Hook.TC_INGRESS, program);
                    case TC_EGRESS -> rig.pipelinePorts().forEach(p -> pipeline.attachTc(rig.processor.port(p), Hook.TC_EGRESS, program));
                }
            }
            long once = ReplayProgress.wanted() && loop > 0 ? count(compiled) : -1;
            long total = once < 0 ? -1 : once * loop;
            long t0 = System.nanoTime();
            boolean started;
            synchronized (dp) { // a signal before this point: nothing is replayed, and the summary says so
                started = !interrupted;
                if (started) {
                    dp.start();
                }
            }
            if (started) {
                try (ReplayProgress progress = ReplayProgress.wanted() ? ReplayProgress.start(rig.in, total, err) : null) {
                    rig.in.awaitFinished(Long.MAX_VALUE, TimeUnit.DAYS);
                    while (!interrupted && !dp.quiet()) { // interrupted: the hook's dp.close() drains
                        Thread.sleep(1);
                    }
                }
            }
            dp.close(); // interrupted: returns when the hook's has
            double seconds = (System.nanoTime() - t0) / 1e9;
            String error = rig.in.state() == PortState.DOWN || rig.in.downReason() != null ? rig.in.downReason() : null;
            ReplayReport report = ReplaySummary.of(rig, capture, seconds, filter, error, interrupted);
            Main.Output mode = Main.output(spec);
            if (mode == Main.Output.PLAIN) {
                report.print(out);
            } else {
                Json.print(out, report.json(), mode == Main.Output.PRETTY_JSON);
            }
            out.flush();
            if (dumpMaps != null) {
                MapsDump.write(dumpMaps, objects.values().stream().map(l -> MapSource.loaded(l.object(), l.spec(), l.elf(), false)).toList());
            }
            if (error != null) {
                throw new IOException(error);
            }
            return 0;
        } finally {
            dp.close();
            objects.values().forEach(l -> l.object().close());
            reported.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(onSignal);
            } catch (IllegalStateException shuttingDown) {
                // interrupted: the hook is running, and returns now that the summary is out
            }
        }
    }

    /** Each map of the file into the object that has it (the first, if several do). */
    private static void applyMaps(MapsFile initial, List<LoadedObject> objects) {
        Map<LoadedObject, Map<String, List<MapsFile.Entry>>> per = new LinkedHashMap<>();
        for (Map.Entry<String, List<MapsFile.Entry>> m : initial.maps().entrySet()) {
            LoadedObject owner = null;
            dev.jxdp.maps.EbpfMap map = null;
            for (LoadedObject o : objects) {
                try {
                    map = MapsFile.find(o, m.getKey());
                    owner = o;
                    break;
                } catch (IllegalArgumentException notHere) {
                    // the next object may have it
                }
            }
            if (owner == null) {
                throw new IllegalArgumentException("--maps: no map '" + m.getKey() + "' in the objects of this replay");
            }
            if (MapsFile.settable(map.type()) && !map.frozen()) {
                per.computeIfAbsent(owner, k -> new LinkedHashMap<>()).put(m.getKey(), m.getValue());
            }
        }
        per.forEach((o, m) -> new MapsFile(m).apply(o));
    }

    private Pacing pacing() {
        if (timing == null) {
            return new Pacing.Original(1.0);
        }
        if (timing.topspeed) {
            return new Pacing.TopSpeed();
        }
        if (timing.multiplier != null) {
            return new Pacing.Original(positive("--multiplier", timing.multiplier));
        }
        if (timing.pps != null) {
            return new Pacing.Pps(positive("--pps", timing.pps));
        }
        return new Pacing.Mbps(positive("--mbps", timing.mbps));
    }

    /** {@code v}, if it is a positive finite number; else a usage error naming {@code option}. */
    private static double positive(String option, double v) {
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new UsageException(option + " must be a positive number, not " + UsageException.plain(v));
        }
        return v;
    }

    /** Frames one pass over the capture lets in (for the progress bar). */
    private long count(PcapFilter f) throws IOException {
        try (PcapReader r = PcapReader.open(capture).filter(f)) {
            long n = 0;
            while (r.skip()) {
                n++;
            }
            return n;
        } catch (IOException e) {
            return -1; // the replay itself will say what is wrong with the file
        }
    }
}
