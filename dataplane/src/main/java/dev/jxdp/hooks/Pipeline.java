package dev.jxdp.hooks;

import dev.jxdp.load.LoadedObject;
import dev.jxdp.load.LoadedProgram;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.HdrHistogram.Histogram;

/**
 * The packet path of a set of ports: XDP, tc ingress and tc egress per port, the workers that run
 * frames through them, and what they count. The NIC simulator builds one, adds its ports, loads
 * objects with {@link #objectOptions()}, attaches programs, and has each of its polling threads feed
 * one {@link Worker}.
 *
 * <pre>
 * Pipeline p = Pipeline.builder().workers(2).host(stack).build();
 * Port eth0 = p.addPort(new Device(2, "eth0", mac, 1500, 2, 0), txQueue);
 * LoadedObject o = LoadedObject.load(spec, p.objectOptions());
 * p.attachXdp(eth0, o.program("xdp_filter"));
 * Outcome out = p.worker(0).receive(eth0, 0, buffer, 256, length);
 * </pre>
 *
 * <p>Attaching and replacing programs is safe while frames flow: each hook's programs are one
 * immutable chain swapped with a single volatile write, so every frame runs either the old chain or
 * the new one. Counters are per worker and summed when read; latency is sampled (one frame in
 * {@code 2^k}, see {@link Builder#latencySampling}) into per-worker HdrHistogram recorders.
 */
public final class Pipeline {
    private final int capacity;
    private final Port[] slots;
    private final Map<Integer, Port> byIfindex = new ConcurrentHashMap<>();
    private final Worker[] workers;
    private final HostSink host;
    private final RouteTable routes;
    private final Consumer<String> warnings;
    private final long sampleMask;
    private final Map<FaultKey, FaultCount> faults = new ConcurrentHashMap<>();
    private final AtomicBoolean warnedInvalidAction = new AtomicBoolean();
    private final Histogram[] latency = new Histogram[LatencyRecorders.STAGES];
    private int ports;

    private record FaultKey(String program, Hook hook, int pc) {}

    /** A fault, how often it happened, and the message of its last occurrence. */
    public record FaultCount(Fault fault, long count) {}

    private Pipeline(Builder b) {
        this.capacity = b.ports;
        this.slots = new Port[b.ports];
        this.host = b.host;
        this.routes = b.routes;
        this.warnings = b.warnings;
        this.sampleMask = b.sampling == 0 ? -1 : b.sampling - 1;
        this.workers = new Worker[b.workers];
        for (int i = 0; i < b.workers; i++) {
            workers[i] = new Worker(this, i, b.ports);
        }
        for (int i = 0; i < latency.length; i++) {
            latency[i] = new Histogram(3);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** How to build a pipeline. */
    public static final class Builder {
        private int workers = 1;
        private int ports = 64;
        private HostSink host = HostSink.DISCARD;
        private RouteTable routes = new RouteTable();
        private Consumer<String> warnings = System.err::println;
        private int sampling = 16;

        /** Packet workers (one per polling thread); per-CPU maps of objects loaded for this pipeline have as many slots. */
        public Builder workers(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("at least one worker");
            }
            this.workers = n;
            return this;
        }

        /** The most ports the pipeline can have. */
        public Builder portCapacity(int n) {
            this.ports = n;
            return this;
        }

        /** Where packets that pass tc ingress go. */
        public Builder host(HostSink sink) {
            this.host = Objects.requireNonNull(sink);
            return this;
        }

        /** The routes and neighbours bpf_fib_lookup and bpf_redirect_neigh see. */
        public Builder routes(RouteTable table) {
            this.routes = Objects.requireNonNull(table);
            return this;
        }

        /** Where the kernel's one-time warnings go (an unknown XDP action, a reclassify loop). */
        public Builder warnings(Consumer<String> sink) {
            this.warnings = Objects.requireNonNull(sink);
            return this;
        }

        /**
         * Time one frame in {@code everyN} (a power of two; 1 times every frame, 0 none) into the
         * latency histograms.
         */
        public Builder latencySampling(int everyN) {
            if (everyN < 0 || everyN != 0 && Integer.bitCount(everyN) != 1) {
                throw new IllegalArgumentException("latency sampling must be 0 or a power of two, not " + everyN);
            }
            this.sampling = everyN;
            return this;
        }

        public Pipeline build() {
            return new Pipeline(this);
        }
    }

    // ---- ports

    /** Adds a port; its ifindex must be new. Frames it transmits go to {@code sink}. */
    public synchronized Port addPort(Device device, PortSink sink) {
        if (ports == capacity) {
            throw new IllegalStateException("the pipeline has room for " + capacity + " ports (Builder.portCapacity)");
        }
        if (byIfindex.containsKey(device.ifindex())) {
            throw new IllegalArgumentException("ifindex " + device.ifindex() + " is " + byIfindex.get(device.ifindex()).name() + " already");
        }
        Port p = new Port(device, sink, ports);
        slots[ports++] = p;
        byIfindex.put(device.ifindex(), p);
        return p;
    }

    /**
     * The port's device has MTU {@code mtu} from now on (the interface behind it was changed, as with
     * {@code ip link set DEV mtu N}): what XDP redirects to it are held to (xdp_ok_fwd_dev reads
     * dev->mtu per frame), what bpf_fib_lookup and bpf_check_mtu report. A single write: a frame
     * in flight sees the old MTU or the new one.
     */
    public void setMtu(Port port, int mtu) {
        if (mtu < 68) {
            throw new IllegalArgumentException("MTU " + mtu + " of " + port.name() + ": at least 68 (IPv4's least)");
        }
        synchronized (port) {
            port.device(port.device().withMtu(mtu));
        }
    }

    /** The port with this ifindex, or null. */
    public Port port(int ifindex) {
        return byIfindex.get(ifindex);
    }

    public synchronized List<Port> ports() {
        return List.of(java.util.Arrays.copyOf(slots, ports));
    }

    public Worker worker(int index) {
        return workers[index];
    }

    public int workers() {
        return workers.length;
    }

    public RouteTable routes() {
        return routes;
    }

    HostSink host() {
        return host;
    }

    /**
     * Options for loading objects whose programs run here: the packet helpers, one per-CPU slot per
     * worker, and devmap entries checked against the ports.
     */
    public LoadedObject.Options objectOptions() {
        return LoadedObject.Options.defaults().withWorkers(workers.length).withProvider(PacketHelpers.INSTANCE)
                .withDevices(ifindex -> byIfindex.containsKey(ifindex));
    }

    // ---- attaching (each a single volatile write of a new chain: atomic for the frames in flight)

    /** Attaches {@code program} as the port's only XDP program, replacing whatever was there. */
    public void attachXdp(Port port, LoadedProgram program) {
        setXdp(port, XdpChain.of(program));
    }

    /** Sets the port's whole XDP chain (libxdp's dispatcher model). */
    public void setXdp(Port port, XdpChain chain) {
        chain.entries().forEach(e -> runnable(e.program()));
        port.xdp(chain);
    }

    /** Changes the port's XDP chain; concurrent updates of one port are serialised. */
    public XdpChain updateXdp(Port port, UnaryOperator<XdpChain> change) {
        synchronized (port) {
            XdpChain next = change.apply(port.xdp());
            setXdp(port, next);
            return next;
        }
    }

    /** A program's per-CPU maps must have a slot for every worker: load its object with {@link #objectOptions()}. */
    private void runnable(LoadedProgram p) {
        if (p.object().workers() < workers.length) {
            throw new IllegalArgumentException(p + " was loaded for " + p.object().workers() + " workers and the pipeline has "
                    + workers.length + " (load it with Pipeline.objectOptions())");
        }
    }

    public void detachXdp(Port port) {
        port.xdp(XdpChain.EMPTY);
    }

    /** Appends {@code program} to a tc hook's tcx programs. */
    public void attachTc(Port port, Hook hook, LoadedProgram program) {
        updateTc(port, hook, c -> c.withTcx(program));
    }

    /** Replaces {@code old} by {@code replacement} in a tc hook, in the same place (BPF_F_REPLACE). */
    public void replaceTc(Port port, Hook hook, LoadedProgram old, LoadedProgram replacement) {
        updateTc(port, hook, c -> {
            List<LoadedProgram> tcx = new ArrayList<>(c.tcx());
            int at = tcx.indexOf(old);
            if (at < 0) {
                throw new IllegalArgumentException(old + " is not attached to " + hook + " of " + port.name());
            }
            tcx.set(at, replacement);
            return new TcChain(tcx, c.classifiers());
        });
    }

    public void setTc(Port port, Hook hook, TcChain chain) {
        chain.tcx().forEach(this::runnable);
        chain.classifiers().forEach(c -> runnable(c.program()));
        port.tc(hook, chain);
    }

    public TcChain updateTc(Port port, Hook hook, UnaryOperator<TcChain> change) {
        synchronized (port) {
            TcChain next = change.apply(port.tc(hook));
            setTc(port, hook, next);
            return next;
        }
    }

    public void detachTc(Port port, Hook hook, LoadedProgram program) {
        updateTc(port, hook, c -> c.without(program));
    }

    // ---- what happened

    /** A hook's counts on a port, summed over the workers. */
    public HookStats stats(Port port, Hook hook) {
        Map<String, Long> verdicts = new LinkedHashMap<>();
        long runs = 0;
        for (int slot = 0; slot < Counters.SLOTS; slot++) {
            long n = 0;
            for (Worker w : workers) {
                n += w.counters.verdicts(port, hook, slot);
            }
            runs += n; // every run counts one verdict
            if (n > 0) {
                verdicts.merge(verdictName(hook, slot), n, Long::sum);
            }
        }
        return new HookStats(hook, runs, verdicts);
    }

    private static String verdictName(Hook hook, int slot) {
        if (hook == Hook.XDP) {
            return slot < Counters.XDP_OTHER ? "XDP_" + XdpAction.values()[slot].name() : "other";
        }
        if (slot >= Counters.TC_FIRST && slot < Counters.TC_OTHER) {
            return "TC_ACT_" + TcAction.values()[slot - Counters.TC_FIRST].name();
        }
        return "other";
    }

    /** How the frames that came in on a port ended, summed over the workers. */
    public Map<Outcome.Fate, Long> fates(Port port) {
        return fates((c, f) -> c.fates(port, f));
    }

    /**
     * How the frames the host sent ({@link Worker#transmit}) ended, summed over the workers: counted
     * apart from the frames of the port they left by, whose fates are those of the frames it received.
     */
    public Map<Outcome.Fate, Long> hostFates() {
        return fates(Counters::hostFates);
    }

    /** The fates that occurred, each summed over the workers' counts of it ({@code count}). */
    private Map<Outcome.Fate, Long> fates(java.util.function.ToLongBiFunction<Counters, Outcome.Fate> count) {
        Map<Outcome.Fate, Long> m = new EnumMap<>(Outcome.Fate.class);
        for (Outcome.Fate f : Outcome.Fate.values()) {
            long n = 0;
            for (Worker w : workers) {
                n += count.applyAsLong(w.counters, f);
            }
            if (n > 0) {
                m.put(f, n);
            }
        }
        return m;
    }

    /** Program faults and XDP_ABORTED verdicts, by program, hook and instruction. */
    public List<FaultCount> faults() {
        return List.copyOf(faults.values());
    }

    void fault(Fault f) {
        faults.merge(new FaultKey(f.program(), f.hook(), f.pc()), new FaultCount(f, 1),
                (old, one) -> new FaultCount(f, old.count() + 1));
    }

    /** bpf_warn_invalid_xdp_action: the kernel warns once (pr_warn_once), then treats the value as XDP_ABORTED. */
    void invalidXdpAction(LoadedProgram p, long r0, Port port) {
        if (warnedInvalidAction.compareAndSet(false, true)) {
            warnings.accept("jxdp: " + port.name() + " unsupported XDP return value " + (r0 & 0xffff_ffffL) + " on prog "
                    + (p == null ? "?" : p.name()) + ", expect packet loss!");
        }
    }

    void warn(String message) {
        warnings.accept("jxdp: " + message);
    }

    boolean timed(long packet) {
        return sampleMask >= 0 && (packet & sampleMask) == 0;
    }

    /** Latency at a hook (ns, the sampled frames), all workers, since the pipeline started. */
    public synchronized Histogram latency(Hook hook) {
        return drained(hook.ordinal());
    }

    /** Latency of a frame's whole path through the pipeline (ns, the sampled frames). */
    public synchronized Histogram latencyEndToEnd() {
        return drained(LatencyRecorders.TOTAL);
    }

    private Histogram drained(int stage) {
        for (Worker w : workers) {
            w.latency.drain(stage, latency[stage]);
        }
        return latency[stage].copy();
    }
}
