package dev.jxdp.nic;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The simulated machine: its ports, its poll-mode workers, the processor the workers run (the XDP/tc
 * pipeline in production), and the host port that stands for the local stack. Receive queue q of
 * every port is polled by worker q mod workers, as queue i's interrupt is usually bound to CPU i.
 *
 * <p>{@link #start()} starts the workers, then the ports; {@link #close()} stops the ports' receiving,
 * lets the workers finish what is queued, stops them, lets the ports send what is queued (sinks are
 * flushed), and frees everything. {@link #closeOnShutdown()} does that on SIGTERM too.
 */
public final class Datapath implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Datapath.class.getName());

    private final List<Port> ports;
    private final Map<Integer, Port> byIfindex = new LinkedHashMap<>();
    private final Port host;
    private final FrameProcessor processor;
    private final Worker[] workers;
    private final Destination.Handover[] handovers;
    private final Duration drainTimeout;
    private final AtomicReference<Throwable> lastProcessorError = new AtomicReference<>();
    private volatile boolean started;
    private volatile boolean closed;

    private Datapath(Builder b) {
        this.ports = List.copyOf(b.ports);
        for (Port p : ports) {
            if (byIfindex.putIfAbsent(p.ifindex(), p) != null) {
                throw new IllegalArgumentException("two ports with ifindex " + p.ifindex() + ": " + byIfindex.get(p.ifindex()).name()
                        + " and " + p.name());
            }
        }
        this.host = b.host;
        this.processor = Objects.requireNonNull(b.processor, "a datapath needs a frame processor");
        this.drainTimeout = b.drainTimeout;
        int n = b.workers;
        this.handovers = new Destination.Handover[n];
        this.workers = new Worker[n];
        List<List<RxQueue>> owned = new ArrayList<>();
        for (int w = 0; w < n; w++) {
            owned.add(new ArrayList<>());
            handovers[w] = new Destination.Handover(w);
        }
        // The receive queues are dealt to the workers in turn, port by port, as irqbalance spreads
        // queue interrupts over CPUs: the first port's queue q goes to worker q mod n (RSS spreads a
        // multi-queue port's flows over the workers), and single-queue ports (a switch's taps) go to
        // different workers instead of all to worker 0.
        int k = 0;
        for (Port p : ports) {
            for (int q = 0; q < p.rxQueueCount(); q++) {
                owned.get(k++ % n).add(p.rxQueue(q));
            }
        }
        for (int w = 0; w < n; w++) {
            int cpu = b.cpus == null ? -1 : b.cpus[w % b.cpus.length];
            workers[w] = new Worker(this, w, owned.get(w).toArray(RxQueue[]::new), b.batchSize, b.busyPollRounds, cpu, ports.size());
            for (RxQueue q : owned.get(w)) {
                q.assign(workers[w]);
            }
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public List<Port> ports() {
        return ports;
    }

    /** The port with this ifindex, or null. */
    public Port port(int ifindex) {
        return byIfindex.get(ifindex);
    }

    /** The port {@link Destination.Verdict#HOST} frames go to, or null. */
    public Port host() {
        return host;
    }

    public FrameProcessor processor() {
        return processor;
    }

    public int workerCount() {
        return workers.length;
    }

    /** Worker {@code i}, or null if there is none. */
    public Worker worker(int i) {
        return i >= 0 && i < workers.length ? workers[i] : null;
    }

    /** The destination that hands a frame to worker {@code i}; null if there is no such worker. */
    public Destination handover(int i) {
        return i >= 0 && i < handovers.length ? handovers[i] : null;
    }

    /** The last exception a processor threw (its frames were counted aborted), or null. */
    public Throwable lastProcessorError() {
        return lastProcessorError.get();
    }

    void processorFailed(Throwable t) {
        if (lastProcessorError.getAndSet(t) == null) {
            LOG.log(System.Logger.Level.WARNING, "frame processor failed (its frames count as aborted): " + t, t);
        }
    }

    /**
     * Starts the workers, then the ports.
     *
     * @throws IOException if a port cannot be opened; what was started is stopped again
     */
    public synchronized void start() throws IOException {
        if (started) {
            throw new IllegalStateException("the datapath was started before");
        }
        started = true;
        for (Worker w : workers) {
            w.start();
        }
        try {
            for (Port p : ports) {
                p.openAndTransmit();
            }
            for (Port p : ports) {
                p.startReceiving();
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Stops everything (see the class comment) when the JVM is asked to exit (SIGTERM, SIGINT, System.exit). */
    public Datapath closeOnShutdown() {
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("jxdp-shutdown").unstarted(this::close));
        return this;
    }

    /**
     * Whether every receive queue and handover backlog is empty and no worker holds a frame. A worker
     * that finished a round while the others were looked at may have handed a frame to one already
     * looked at (a cpumap redirect), so the rounds are counted before and after: any progress in
     * between means not quiet yet.
     */
    public boolean quiet() {
        long before = rounds();
        for (Worker w : workers) {
            if (!w.idle()) {
                return false;
            }
        }
        return rounds() == before;
    }

    private long rounds() {
        long n = 0;
        for (Worker w : workers) {
            n += w.rounds();
        }
        return n;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Port p : ports) {
            p.stopReceiving();
        }
        long deadline = System.nanoTime() + drainTimeout.toNanos();
        while (!quiet() && System.nanoTime() - deadline < 0) {
            LockSupport.parkNanos(1_000_000);
        }
        for (Worker w : workers) {
            w.stop();
        }
        for (Worker w : workers) {
            w.releaseBacklog();
        }
        // Every port sends what is queued before any closes: a frame in one port's transmit queue
        // may belong to another port's pool, which closing frees.
        for (Port p : ports) {
            p.stopTransmitting();
        }
        for (Port p : ports) {
            p.close();
        }
    }

    /** How a datapath is put together. */
    public static final class Builder {
        private final List<Port> ports = new ArrayList<>();
        private Port host;
        private FrameProcessor processor;
        private int workers = 1;
        private int batchSize = Worker.MAX_BATCH;
        private int busyPollRounds = 1000;
        private int[] cpus;
        private Duration drainTimeout = Duration.ofSeconds(5);

        private Builder() {}

        /** Adds a port. */
        public Builder port(Port port) {
            if (!ports.contains(port)) {
                ports.add(port);
            }
            return this;
        }

        /**
         * The host port (the local stack: a tap, a packet socket, a pcap sink); added as a port too. Frames it receives
         * go to {@link FrameProcessor#fromHost}.
         */
        public Builder host(Port port) {
            if (!(port instanceof HostPort)) {
                throw new IllegalArgumentException("port " + port.name()
                        + " cannot stand for the local stack: a host port is a tap, a packet socket, a pcap sink or a discard port (a HostPort)");
            }
            this.host = port;
            return port(port);
        }

        public Builder processor(FrameProcessor p) {
            this.processor = p;
            return this;
        }

        /** How many poll-mode workers (default 1). */
        public Builder workers(int n) {
            if (n < 1 || n > 256) {
                throw new IllegalArgumentException("1 to 256 workers, not " + n);
            }
            this.workers = n;
            return this;
        }

        /** The most frames a worker takes from one queue per poll, 1 to 64 (default 64). */
        public Builder batchSize(int n) {
            if (n < 1 || n > Worker.MAX_BATCH) {
                throw new IllegalArgumentException("a batch is 1 to " + Worker.MAX_BATCH + " frames, not " + n);
            }
            this.batchSize = n;
            return this;
        }

        /** Empty polling rounds a worker spins through before it sleeps until woken (default 1000). */
        public Builder busyPollRounds(int n) {
            this.busyPollRounds = Math.max(1, n);
            return this;
        }

        /** Pins worker w to CPU {@code cpus[w mod cpus.length]} (sched_setaffinity); by default workers are not pinned. */
        public Builder pinWorkers(int... cpus) {
            this.cpus = cpus.length == 0 ? null : cpus.clone();
            return this;
        }

        /** How long {@link Datapath#close()} waits for the workers to empty the receive queues (default 5 s). */
        public Builder drainTimeout(Duration d) {
            this.drainTimeout = d;
            return this;
        }

        public Datapath build() {
            return new Datapath(this);
        }
    }
}
