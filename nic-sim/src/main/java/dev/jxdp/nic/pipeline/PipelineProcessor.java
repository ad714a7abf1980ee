package dev.jxdp.nic.pipeline;

import dev.jxdp.hooks.Device;
import dev.jxdp.hooks.Outcome;
import dev.jxdp.hooks.Pipeline;
import dev.jxdp.hooks.PortSink;
import dev.jxdp.hooks.RouteTable;
import dev.jxdp.hooks.TunnelKey;
import dev.jxdp.hooks.XdpBuff;
import dev.jxdp.load.LoadedObject;
import dev.jxdp.maps.Epochs;
import dev.jxdp.nic.Counter;
import dev.jxdp.nic.Datapath;
import dev.jxdp.nic.Destination;
import dev.jxdp.nic.FrameProcessor;
import dev.jxdp.nic.Port;
import dev.jxdp.nic.WorkerContext;
import dev.jxdp.nic.frame.Frame;
import dev.jxdp.nic.frame.Offload;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The hooks' {@link Pipeline} as the NIC model's {@link FrameProcessor}: every frame a worker polls
 * runs through XDP, then (on XDP_PASS) tc ingress and the host, or out of a port (XDP_TX, devmap and
 * tc redirects after the target's tc egress), to another worker (cpumap), or to an AF_XDP socket
 * (xskmap), exactly as {@code dev.jxdp.hooks.Worker} decides.
 *
 * <pre>
 * PcapSource in = ...;  PcapSink wire = ...;  PcapSink stack = ...;
 * PipelineProcessor proc = PipelineProcessor.builder().workers(2).port(in, wire).build();
 * LoadedObject o = LoadedObject.load(spec, proc.objectOptions());
 * proc.pipeline().attachXdp(proc.port(in), o.program("xdp_filter"));
 * try (Datapath dp = proc.datapath().host(stack).build()) { dp.start(); ... }
 * </pre>
 *
 * <p>How the two models meet:
 * <ul>
 *   <li>NIC worker w drives the pipeline's worker w, so a worker's index is the CPU of everything it
 *       runs (per-CPU map slot, bpf_get_smp_processor_id); the pipeline has as many workers as the
 *       datapath ({@link #datapath()} sees to that).
 *   <li>Each NIC port added here is a pipeline port with the same ifindex, name, MAC, MTU and queue
 *       count. What the pipeline transmits on it goes out of the NIC port given as its transmit side
 *       (itself by default; a pcap source has none, so replays pair it with a pcap sink).
 *   <li>Zero copy: the programs run on the frame's own buffer (256 bytes of headroom, the tailroom the
 *       kernel keeps for skb_shared_info), and a packet that leaves in that buffer (XDP_TX, redirects,
 *       XDP_PASS to the host, tc egress) leaves as the frame itself with the bounds the programs gave
 *       it. Only extra packets (a devmap broadcast's copies, bpf_clone_redirect, an skb a helper moved
 *       to a bigger buffer) are copied, into buffers of the receiving port's pool; a copy that finds
 *       no free buffer is lost and counted ({@link #copyFailures()}).
 *   <li>cpumap: the pipeline queues its own copy of the frame on the target worker, and the NIC frame
 *       is handed over to the NIC worker of that index as its token; that worker runs the cpumap
 *       entry's program and the stack ({@code Worker.pollOne}) and reuses the token's buffer for the
 *       result.
 *   <li>Frames the host port sends go out of the port named by {@link Builder#hostEgress} (its tc
 *       egress first); without one they are dropped.
 *   <li>Dropped and aborted frames are recycled, or, with {@link Builder#dropsTo}/{@link Builder#abortsTo},
 *       sent out of a recording port as XDP left them (a replay's dropped.pcap).
 * </ul>
 *
 * <p>Thread-safe as FrameProcessor requires: one instance serves every worker, each with its own state.
 */
public final class PipelineProcessor implements FrameProcessor {
    private final Pipeline pipeline;
    private final Map<Port, dev.jxdp.hooks.Port> ports;
    private final Map<Integer, dev.jxdp.hooks.Port> byIfindex = new HashMap<>();
    /** {@link #byIfindex} as an array indexed by ifindex (ifindexes are small numbers): no boxing or hashing per frame. */
    private final dev.jxdp.hooks.Port[] ifindexTable;
    private final List<Port> nicPorts;
    private final Deliveries[] deliveries;
    /**
     * The thread each worker's collector last ran on, written only when it changes: what a sink
     * scans to find its worker's collector. The collectors themselves are written by their workers
     * per frame; a scan over them made every worker but the first read a line another CPU was
     * writing, at every packet a sink took.
     */
    private final Thread[] collectorThreads;
    private final Port dropsTo;
    private final Port abortsTo;
    private final dev.jxdp.hooks.Port hostEgress;
    /** Frames from a port that is not in the pipeline (dropped). */
    private final Counter[] strangers;

    private PipelineProcessor(Builder b) {
        int workers = b.workers;
        this.pipeline = Pipeline.builder().workers(workers).portCapacity(Math.max(1, b.ports.size())).latencySampling(b.sampling)
                .warnings(b.warnings).routes(b.routes)
                .host((port, skb) -> deliveries().add(Destination.Verdict.HOST, skb.head(), skb.dataOffset(), skb.length(), skb.mark(),
                        skb.gsoSize())).build();
        this.ports = new LinkedHashMap<>();
        List<Port> all = new ArrayList<>();
        for (Map.Entry<Port, Port> e : b.ports.entrySet()) {
            Port nic = e.getKey();
            Destination out = e.getValue().transmit();
            Device device = new Device(nic.ifindex(), nic.name(), nic.config().mac(), nic.config().mtu(), nic.rxQueueCount(), 0);
            dev.jxdp.hooks.Port hp = pipeline.addPort(device, new PortSink() {
                @Override
                public void transmit(dev.jxdp.hooks.Port port, MemorySegment frame, TunnelKey tunnel) {
                    transmit(port, frame, tunnel, 0);
                }

                @Override
                public void transmit(dev.jxdp.hooks.Port port, MemorySegment frame, TunnelKey tunnel, int gsoSize) {
                    deliveries().add(out, frame, 0, (int) frame.byteSize(), 0, gsoSize);
                }
            });
            ports.put(nic, hp);
            byIfindex.put(nic.ifindex(), hp);
            addOnce(all, nic);
            addOnce(all, e.getValue());
        }
        int top = byIfindex.keySet().stream().mapToInt(Integer::intValue).max().orElse(0);
        this.ifindexTable = new dev.jxdp.hooks.Port[top >= 0 && top < 65_536 ? top + 1 : 0];
        byIfindex.forEach((ifindex, hp) -> {
            if (ifindex >= 0 && ifindex < ifindexTable.length) {
                ifindexTable[ifindex] = hp;
            }
        });
        this.dropsTo = b.dropsTo;
        this.abortsTo = b.abortsTo;
        addOnce(all, dropsTo);
        addOnce(all, abortsTo);
        this.nicPorts = List.copyOf(all);
        this.hostEgress = b.hostEgress == null ? null : port(b.hostEgress);
        this.deliveries = new Deliveries[workers];
        this.collectorThreads = new Thread[workers];
        this.strangers = new Counter[workers];
        for (int i = 0; i < workers; i++) {
            deliveries[i] = new Deliveries();
            strangers[i] = new Counter();
        }
    }

    private static void addOnce(List<Port> list, Port p) {
        if (p != null && !list.contains(p)) {
            list.add(p);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The hooks' pipeline: attach programs here, read its counters, faults and latency. */
    public Pipeline pipeline() {
        return pipeline;
    }

    /**
     * The pipeline port of a NIC port added to the builder (to attach programs to).
     *
     * @throws IllegalArgumentException if the port was not added
     */
    public dev.jxdp.hooks.Port port(Port nic) {
        dev.jxdp.hooks.Port p = ports.get(nic);
        if (p == null) {
            throw new IllegalArgumentException("port " + nic.name() + " is not in the pipeline (PipelineProcessor.Builder.port)");
        }
        return p;
    }

    /** Options to load objects with: packet helpers, a per-CPU slot per worker, devmap entries checked against the ports. */
    public LoadedObject.Options objectOptions() {
        return pipeline.objectOptions();
    }

    /**
     * A datapath builder with this processor, as many workers as the pipeline, and every port given to
     * the builder (receiving, transmitting and recording ones); add the host port and go.
     */
    public Datapath.Builder datapath() {
        Datapath.Builder b = Datapath.builder().workers(pipeline.workers()).processor(this);
        nicPorts.forEach(b::port);
        return b;
    }

    /** Packets (broadcast copies, clones) lost because no buffer was free to copy them into. */
    public long copyFailures() {
        long n = 0;
        for (Deliveries d : deliveries) {
            n += d.copyFailures.get();
        }
        return n;
    }

    /** Frames that came from a port the pipeline does not know (dropped). */
    public long strangers() {
        long n = 0;
        for (Counter c : strangers) {
            n += c.get();
        }
        return n;
    }

    // ---- FrameProcessor

    /**
     * A batch in one epoch read section (every loaded object's maps are in {@link Epochs#GLOBAL}), as
     * a driver's NAPI poll runs its batch under one rcu_read_lock: each program run's own section is
     * then nested and pays no fence.
     */
    @Override
    public void receive(Frame[] frames, int count, Destination[] out, WorkerContext worker) {
        Epochs.Reader section = Epochs.GLOBAL.reader();
        section.enter();
        try {
            for (int i = 0; i < count; i++) {
                out[i] = receive(frames[i], worker);
            }
        } finally {
            section.exit();
        }
    }

    @Override
    public Destination receive(Frame frame, WorkerContext worker) {
        Deliveries d = start(frame, worker, false);
        int ifindex = frame.ingressIfindex();
        dev.jxdp.hooks.Port in = ifindex >= 0 && ifindex < ifindexTable.length ? ifindexTable[ifindex] : byIfindex.get(ifindex);
        if (in == null) {
            strangers[worker.index()].increment();
            d.finish();
            return Destination.Verdict.DROP;
        }
        // a large segment a tap took whole keeps its segment size on the skb XDP_PASS makes (tc reads it), and a
        // checksum still to be completed makes it CHECKSUM_PARTIAL (the checksum helpers fix such a field differently)
        Outcome o = pipeline.worker(worker.index()).receive(in, frame.rxQueue(), frame.buffer(), frame.offset(), frame.length(),
                frame.gsoType() != Offload.GSO_NONE ? frame.gsoSize() : 0, (frame.offloadFlags() & Offload.F_NEEDS_CSUM) != 0);
        return decide(o, d, frame, worker);
    }

    @Override
    public Destination handedOver(Frame frame, WorkerContext worker) {
        Deliveries d = start(frame, worker, true);
        Outcome o = pipeline.worker(worker.index()).pollOne();
        if (o == null) {
            d.finish();
            return Destination.Verdict.DROP; // a token whose frame the pipeline no longer holds
        }
        return decide(o, d, frame, worker);
    }

    @Override
    public Destination fromHost(Frame frame, WorkerContext worker) {
        if (hostEgress == null) {
            return Destination.Verdict.DROP;
        }
        Deliveries d = start(frame, worker, false);
        Outcome o = pipeline.worker(worker.index()).transmit(hostEgress, frame.buffer(), frame.offset(), frame.length(),
                frame.gsoType() != Offload.GSO_NONE ? frame.gsoSize() : 0, (frame.offloadFlags() & Offload.F_NEEDS_CSUM) != 0);
        return decide(o, d, frame, worker);
    }

    private Deliveries start(Frame frame, WorkerContext worker, boolean bufferFree) {
        int w = worker.index();
        if (w >= deliveries.length) {
            throw new IllegalStateException("worker " + w + " of " + worker.workers() + " has no pipeline worker (the pipeline has "
                    + deliveries.length + "): build the datapath with PipelineProcessor.datapath()");
        }
        Deliveries d = deliveries[w];
        Thread t = Thread.currentThread();
        if (collectorThreads[w] != t) {
            collectorThreads[w] = t;
        }
        d.start(frame, worker, bufferFree);
        return d;
    }

    /**
     * The collector of the worker whose thread calls a sink: the one collecting on this thread now
     * ({@link Deliveries#start} records the thread). A scan of {@link #collectorThreads}, which for the
     * few workers of a machine costs less than a ThreadLocal lookup did per frame; only the matching
     * worker's collector is read.
     */
    private Deliveries deliveries() {
        Thread t = Thread.currentThread();
        Thread[] threads = collectorThreads;
        for (int i = 0; i < threads.length; i++) {
            if (threads[i] == t && deliveries[i].collectingOn(t)) {
                return deliveries[i];
            }
        }
        throw new IllegalStateException("a pipeline port sent a packet outside a NIC worker (drive the pipeline through the datapath)");
    }

    private Destination decide(Outcome o, Deliveries d, Frame frame, WorkerContext worker) {
        boolean free = d.frameFree();
        Destination main = d.finish();
        if (main != null) {
            return main;
        }
        return switch (o.fate()) {
            case TO_CPU -> {
                Destination h = worker.handover(o.cpu());
                yield h != null ? h : Destination.Verdict.DROP;
            }
            case DROPPED -> record(dropsTo, Destination.Verdict.DROP, frame, worker, free);
            case ABORTED -> record(abortsTo, Destination.Verdict.ABORTED, frame, worker, free);
            // delivered as copies only (a broadcast), given to a socket, or taken by tc: the buffer is free
            case TRANSMITTED, TO_HOST, TO_SOCKET, CONSUMED -> Destination.Verdict.CONSUMED;
            case null -> Destination.Verdict.ABORTED;
        };
    }

    /** A dropped or aborted frame, to its recording port as XDP left it (or recycled without one). */
    private Destination record(Port to, Destination otherwise, Frame frame, WorkerContext worker, boolean free) {
        if (to == null) {
            return otherwise;
        }
        XdpBuff xb = pipeline.worker(worker.index()).frame();
        if (xb.buffer() != null && xb.buffer().address() == frame.buffer().address()) {
            try {
                frame.setBounds(xb.dataOffset(), xb.linearLength(), 0);
            } catch (IllegalArgumentException e) {
                // bounds the frame cannot take: it is recorded as it came in
            }
        } else if (free && xb.buffer() != null && xb.linearLength() <= frame.maxLength()) {
            frame.copyFrom(xb.buffer(), xb.dataOffset(), xb.linearLength());
        }
        return to.transmit();
    }

    /** How a {@link PipelineProcessor} is put together. */
    public static final class Builder {
        private final Map<Port, Port> ports = new LinkedHashMap<>();
        private int workers = 1;
        private int sampling = 16;
        private Consumer<String> warnings = System.err::println;
        private RouteTable routes = new RouteTable();
        private Port hostEgress;
        private Port dropsTo;
        private Port abortsTo;

        private Builder() {}

        /** Workers: the datapath's, one pipeline worker each (the CPUs per-CPU maps are sized for). */
        public Builder workers(int n) {
            if (n < 1 || n > 256) {
                throw new IllegalArgumentException("1 to 256 workers, not " + n);
            }
            this.workers = n;
            return this;
        }

        /** A port whose frames run through the pipeline and which transmits what the pipeline sends on it. */
        public Builder port(Port port) {
            return port(port, port);
        }

        /**
         * A port whose frames run through the pipeline; what the pipeline sends on it (XDP_TX, redirects
         * to its ifindex) goes out of {@code transmitsThrough} (a pcap sink beside a pcap source).
         */
        public Builder port(Port port, Port transmitsThrough) {
            Objects.requireNonNull(port);
            Objects.requireNonNull(transmitsThrough);
            for (Port p : ports.keySet()) {
                if (p.ifindex() == port.ifindex() && p != port) {
                    throw new IllegalArgumentException("two ports with ifindex " + port.ifindex() + ": " + p.name() + " and " + port.name());
                }
            }
            ports.put(port, transmitsThrough);
            return this;
        }

        /** Frames the host port sends go out of {@code port} (which must be added too), through its tc egress. */
        public Builder hostEgress(Port port) {
            this.hostEgress = port;
            return this;
        }

        /** Dropped frames (XDP_DROP, TC_ACT_SHOT, failed redirects) go out of {@code port} as XDP left them, not recycled. */
        public Builder dropsTo(Port port) {
            this.dropsTo = port;
            return this;
        }

        /** Aborted frames (XDP_ABORTED, program faults) go out of {@code port} as XDP left them, not recycled. */
        public Builder abortsTo(Port port) {
            this.abortsTo = port;
            return this;
        }

        /** Time one frame in {@code everyN} (a power of two; 0 none) into the latency histograms (default 16). */
        public Builder latencySampling(int everyN) {
            this.sampling = everyN;
            return this;
        }

        /** Where the kernel's one-time warnings go (default stderr). */
        public Builder warnings(Consumer<String> sink) {
            this.warnings = Objects.requireNonNull(sink);
            return this;
        }

        /** The routes and neighbours bpf_fib_lookup sees. */
        public Builder routes(RouteTable table) {
            this.routes = Objects.requireNonNull(table);
            return this;
        }

        /**
         * @throws IllegalArgumentException if no port was added, or the host egress port was not
         */
        public PipelineProcessor build() {
            if (ports.isEmpty()) {
                throw new IllegalArgumentException("a pipeline processor needs at least one port");
            }
            if (hostEgress != null && !ports.containsKey(hostEgress)) {
                throw new IllegalArgumentException("host egress port " + hostEgress.name() + " is not in the pipeline: add it with port()");
            }
            return new PipelineProcessor(this);
        }
    }
}
