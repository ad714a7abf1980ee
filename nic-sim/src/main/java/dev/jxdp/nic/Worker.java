package dev.jxdp.nic;

import dev.jxdp.nic.frame.Frame;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.jctools.queues.MessagePassingQueue;
import org.jctools.queues.atomic.MpscAtomicArrayQueue;

/**
 * A poll-mode worker: one thread that owns a set of receive queues and busy-polls them in batches of
 * up to {@link #MAX_BATCH} frames, as NAPI polls a queue with a budget of 64 and a DPDK PMD polls its
 * rings, hands each batch to the {@link FrameProcessor}, and moves every frame where the processor
 * said. It also takes frames other workers handed to it (cpumap). When a whole round finds nothing,
 * it keeps spinning for a while ({@code busyPollRounds}, like busy_poll), then sleeps until a port
 * rings its doorbell (the interrupt), at most a millisecond.
 *
 * <p>A queue of a port that {@linkplain Port#receivesInline() receives inline} is polled by asking the
 * port for a batch on this thread (no ring); frames for a port that {@linkplain Port#transmitsInline()
 * transmits inline} are written out on this thread (no ring, no hand-over to the port's thread).
 *
 * <p>Its {@link #index()} is the "CPU" of everything it runs: per-CPU map slot and
 * bpf_get_smp_processor_id.
 */
public final class Worker implements WorkerContext {
    /** NAPI_POLL_WEIGHT: the most frames one poll of one queue takes. */
    public static final int MAX_BATCH = 64;
    private static final long SLEEP_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final Datapath datapath;
    private final int index;
    private final RxQueue[] queues;
    private final MpscAtomicArrayQueue<Frame> backlog;
    private final int batchSize;
    private final int busyPollRounds;
    private final int cpu;
    private final Frame[] batch = new Frame[MAX_BATCH];
    private final Destination[] out = new Destination[MAX_BATCH];
    private final Port[] touched;
    private int touchedCount;
    private int batchCount;
    private final MessagePassingQueue.Consumer<Frame> collect = f -> batch[batchCount++] = f;
    private final Doorbell bell = new Doorbell();
    private volatile boolean running;
    /**
     * Set while a poll round may hold frames taken off a queue but not yet moved on (a batch being
     * processed, a cpumap frame on its way to another worker's backlog): the queues look empty then, but
     * the worker is not idle. Volatile, so that the store before draining is seen by whoever then sees
     * the queue empty ({@link Datapath#quiet()}).
     */
    private volatile boolean busy;
    /** Poll rounds that moved frames, for {@link Datapath#quiet()} to see work that ended while it looked. */
    private volatile long rounds;
    private Thread thread;
    private volatile String pinning = "not pinned";

    public final WorkerCounters counters = new WorkerCounters();

    Worker(Datapath datapath, int index, RxQueue[] queues, int batchSize, int busyPollRounds, int cpu, int portCount) {
        this.datapath = datapath;
        this.index = index;
        this.queues = queues;
        this.batchSize = batchSize;
        this.busyPollRounds = busyPollRounds;
        this.cpu = cpu;
        this.backlog = new MpscAtomicArrayQueue<>(PortConfig.DEFAULT_RING);
        this.touched = new Port[Math.max(1, portCount)];
    }

    @Override
    public int index() {
        return index;
    }

    @Override
    public int workers() {
        return datapath.workerCount();
    }

    /** The receive queues this worker polls. */
    public RxQueue[] queues() {
        return queues.clone();
    }

    /** "pinned to CPU n", "not pinned", or why pinning failed. */
    public String pinning() {
        return pinning;
    }

    // ---- life cycle

    void start() {
        running = true;
        thread = Thread.ofPlatform().name("jxdp-worker-" + index).unstarted(this::run);
        bell.own(thread);
        thread.start();
    }

    void stop() {
        running = false;
        bell.ring();
        Thread t = thread;
        if (t != null) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A port delivered frames to one of this worker's queues, or another worker handed one over. */
    void wake() {
        bell.ring();
    }

    /** No frame waits on this worker's queues or backlog and none is in its hands (queues first, then {@link #busy}). */
    boolean idle() {
        if (!backlog.isEmpty()) {
            return false;
        }
        for (RxQueue q : queues) {
            if (!q.isEmpty() || q.port().pullsNow()) {
                return false;
            }
        }
        return !busy;
    }

    /** Poll rounds that moved frames so far. */
    long rounds() {
        return rounds;
    }

    private void run() {
        if (cpu >= 0) {
            pinning = Affinity.pin(cpu) ? "pinned to CPU " + cpu : "pinning to CPU " + cpu + " failed: " + Affinity.lastError();
        }
        int emptyRounds = 0;
        while (running) {
            int work = 0;
            busy = true;
            for (RxQueue q : queues) {
                work += poll(q);
            }
            work += pollBacklog();
            if (work > 0) {
                rounds++; // only this thread writes it
            }
            busy = false;
            counters.polls.increment();
            if (work > 0) {
                counters.busyPolls.increment();
                emptyRounds = 0;
            } else if (++emptyRounds < busyPollRounds) {
                Thread.onSpinWait();
            } else {
                bell.sleep(SLEEP_NANOS, () -> !running || !idle());
                emptyRounds = 0;
            }
        }
    }

    private int poll(RxQueue q) {
        Port port = q.port();
        int n;
        if (port.receivesInline()) {
            n = port.pullInline(q, batch, batchSize);
        } else {
            batchCount = 0;
            n = q.drain(collect, batchSize);
        }
        if (n == 0) {
            return 0;
        }
        long bytes = 0;
        for (int i = 0; i < n; i++) {
            bytes += batch[i].length();
        }
        q.packets.add(n);
        q.bytes.add(bytes);
        boolean fromHost = port == datapath.host();
        try {
            if (fromHost) {
                for (int i = 0; i < n; i++) {
                    out[i] = datapath.processor().fromHost(batch[i], this);
                }
            } else {
                datapath.processor().receive(batch, n, out, this);
            }
        } catch (RuntimeException | Error e) {
            counters.errors.increment();
            datapath.processorFailed(e);
        }
        finishBatch(n, q);
        return n;
    }

    private int pollBacklog() {
        int n = 0;
        Frame f;
        while (n < batchSize && (f = backlog.relaxedPoll()) != null) {
            batch[n] = f;
            try {
                out[n] = datapath.processor().handedOver(f, this);
            } catch (RuntimeException | Error e) {
                counters.errors.increment();
                datapath.processorFailed(e);
            }
            n++;
        }
        if (n > 0) {
            finishBatch(n, null);
        }
        return n;
    }

    private void finishBatch(int n, RxQueue from) {
        counters.batches.increment();
        counters.frames.add(n);
        for (int i = 0; i < n; i++) {
            Frame f = batch[i];
            Destination d = out[i];
            batch[i] = null;
            out[i] = null;
            if (d == null) {
                d = Destination.Verdict.ABORTED; // the processor failed before deciding
            }
            if ((d == Destination.Verdict.DROP || d == Destination.Verdict.ABORTED) && from != null) {
                from.drops.increment();
            }
            dispatch(f, d, from);
        }
        ringTouched();
    }

    /** Moves a frame this worker owns to {@code d}; false if it could not go there (dropped and counted). */
    private boolean dispatch(Frame f, Destination d, RxQueue from) {
        switch (d) {
            case Destination.Verdict v -> {
                switch (v) {
                    case DROP -> {
                        counters.dropped.increment();
                        done(f, from);
                        return true;
                    }
                    case ABORTED -> {
                        counters.aborted.increment();
                        done(f, from);
                        return true;
                    }
                    case CONSUMED -> {
                        counters.consumed.increment();
                        done(f, from);
                        return true;
                    }
                    case HOST -> {
                        Port host = datapath.host();
                        if (host == null) {
                            counters.undeliverable.increment();
                            f.release();
                            return false;
                        }
                        counters.toHost.increment();
                        return enqueue(host, f, from);
                    }
                }
            }
            case Destination.Transmit t -> {
                counters.transmitted.increment();
                return enqueue(t.port(), f, from);
            }
            case Destination.Handover h -> {
                Worker target = datapath.worker(h.worker());
                if (target != null && target.backlog.offer(f)) {
                    counters.handedOver.increment();
                    target.wake();
                    return true;
                }
                counters.undeliverable.increment();
                f.release();
                return false;
            }
        }
        throw new AssertionError(d);
    }

    /**
     * The worker is done with {@code f}: kept for its receive queue's next pull if it came from a port
     * that receives inline, belongs to that port's pool and nobody else holds it (the kernel's page_pool
     * recycles a dropped page into its per-CPU cache the same way), else released.
     */
    private static void done(Frame f, RxQueue from) {
        if (from != null && from.port().receivesInline() && f.pool() == from.port().pool() && f.refCnt() == 1 && from.recycle(f)) {
            return;
        }
        f.release();
    }

    private boolean enqueue(Port port, Frame f, RxQueue from) {
        int queues = port.txQueueCount();
        TxQueue q = port.txQueue(index % queues);
        if (port.transmitsInline()) {
            // no ring, no transmitting thread: the write happens here (shared: other workers count on q too)
            boolean sent = port.transmitInline(q, f, queues < datapath.workerCount());
            done(f, from);
            if (!sent) {
                counters.undeliverable.increment();
            }
            return sent;
        }
        if (!q.offer(f)) {
            counters.undeliverable.increment();
            return false;
        }
        for (int i = 0; i < touchedCount; i++) {
            if (touched[i] == port) {
                return true;
            }
        }
        if (touchedCount < touched.length) {
            touched[touchedCount++] = port;
        } else {
            port.wakeTransmitter();
        }
        return true;
    }

    private void ringTouched() {
        for (int i = 0; i < touchedCount; i++) {
            touched[i].wakeTransmitter();
            touched[i] = null;
        }
        touchedCount = 0;
    }

    /** Frames left in the backlog when the datapath stops: released. */
    void releaseBacklog() {
        Frame f;
        while ((f = backlog.poll()) != null) {
            f.release();
        }
        Arrays.fill(batch, null);
    }

    // ---- WorkerContext

    @Override
    public Port port(int ifindex) {
        return datapath.port(ifindex);
    }

    @Override
    public Destination handover(int worker) {
        return datapath.handover(worker);
    }

    @Override
    public Frame copy(Frame frame) {
        return frame.pool().copyOf(frame);
    }

    @Override
    public boolean emit(Frame frame, Destination destination) {
        boolean ok = dispatch(frame, destination, null);
        ringTouched();
        return ok;
    }

    @Override
    public String toString() {
        return "worker " + index + " (" + queues.length + " queues, " + pinning + ")";
    }
}
