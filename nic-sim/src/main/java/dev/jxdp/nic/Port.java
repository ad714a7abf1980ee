package dev.jxdp.nic;

import dev.jxdp.nic.frame.Frame;
import dev.jxdp.nic.frame.FramePool;
import dev.jxdp.nic.frame.Segmenter;
import dev.jxdp.nic.rss.Rss;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A simulated NIC port: receive queues that RSS fills, transmit queues that workers fill, a pool of
 * frame buffers, and the thing on the other side of the wire (a pcap file, a tap, a live interface, a
 * UDP socket, a generator), which subclasses drive.
 *
 * <p>Each port has up to two threads of its own, which play the NIC's hardware: a receiving thread
 * ({@link #receiveLoop()}) that reads frames into buffers and {@link #deliver delivers} them to the
 * receive queue RSS picks, and a transmitting thread that drains the transmit queues in batches and
 * {@link #transmit writes} each frame out. Workers play the driver: they poll the receive queues.
 *
 * <p>A fault on the port's side (its device deleted, an I/O error) takes only this port
 * {@link PortState#DOWN DOWN}, with a reason that is logged and kept; frames for it are then counted as
 * transmit drops, and the other ports go on.
 */
public abstract class Port implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Port.class.getName());
    /** How long an idle transmitting thread parks before it looks again on its own. */
    private static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final String name;
    private final PortConfig config;
    private final FramePool pool;
    private final Rss rss;
    private final RxQueue[] rx;
    private final TxQueue[] tx;
    private final Destination.Transmit transmit = new Destination.Transmit(this);
    private final Doorbell txBell = new Doorbell();
    private final boolean[] touched;
    private volatile PortState state = PortState.CREATED;
    private volatile String downReason;
    private volatile boolean receiving;
    private volatile boolean transmitting;
    private Thread rxThread;
    private Thread txThread;

    /** Frames the port received but could not use: too long for a buffer, or malformed (counted by the receiving thread). */
    public final Counter rxErrors = new Counter();

    protected Port(String name, PortConfig config) {
        this.name = name;
        this.config = config;
        this.rss = new Rss(config.rssKey(), config.rxQueues());
        this.rx = new RxQueue[config.rxQueues()];
        for (int i = 0; i < rx.length; i++) {
            rx[i] = new RxQueue(this, i, config.ringSize());
        }
        this.tx = new TxQueue[config.txQueues()];
        for (int i = 0; i < tx.length; i++) {
            tx[i] = new TxQueue(this, i, config.ringSize());
        }
        this.touched = new boolean[rx.length];
        this.pool = new FramePool(name, config.layout(), config.poolSize());
    }

    // ---- identity

    public final String name() {
        return name;
    }

    public final int ifindex() {
        return config.ifindex();
    }

    public final PortConfig config() {
        return config;
    }

    /**
     * The MTU of the interface this port stands for as it is now, for a port that has one the system
     * can change ({@code ip link set DEV mtu N}): a tap, a packet socket's interface. Empty for the
     * others (pcap files, UDP wires, generators), whose MTU is {@link PortConfig#mtu()}. Makes system
     * calls: for a watcher, not per frame.
     *
     * @throws IOException if the interface cannot be asked (gone, for example)
     */
    public java.util.OptionalInt linkMtu() throws IOException {
        return java.util.OptionalInt.empty();
    }

    public final FramePool pool() {
        return pool;
    }

    public final Rss rss() {
        return rss;
    }

    public final int rxQueueCount() {
        return rx.length;
    }

    public final int txQueueCount() {
        return tx.length;
    }

    public final RxQueue rxQueue(int i) {
        return rx[i];
    }

    public final TxQueue txQueue(int i) {
        return tx[i];
    }

    /** The destination that sends a frame out of this port. */
    public final Destination.Transmit transmit() {
        return transmit;
    }

    public final PortState state() {
        return state;
    }

    public final boolean isUp() {
        return state == PortState.UP;
    }

    /** Why the port went {@link PortState#DOWN}, or null. */
    public final String downReason() {
        return downReason;
    }

    /** What kind of port this is and what it is attached to, for logs and status. */
    public abstract String describe();

    // ---- what subclasses implement

    /** Opens what the port reads and writes (a file, a device); a failure here is the user's to fix and says so. */
    protected abstract void open() throws IOException;

    /** Whether frames come in from the other side (a source, a tap, a wire). */
    protected abstract boolean hasReceiver();

    /** Whether frames go out to the other side (a sink, a tap, a wire). */
    protected abstract boolean hasTransmitter();

    /**
     * The receiving thread's work: read frames into buffers from {@link #newFrame()}, {@link #deliver}
     * them and call {@link #deliverDone()} after each batch, until {@link #receiving()} turns false (or
     * the other side is exhausted: then return). An exception takes the port down with its message.
     */
    protected void receiveLoop() throws Exception {
        throw new UnsupportedOperationException(name + " receives nothing");
    }

    /** Writes one frame out (the caller counts and releases it). An exception counts a transmit error. */
    protected void transmit(Frame frame) throws IOException {
        throw new UnsupportedOperationException(name + " transmits nothing");
    }

    /**
     * Whether {@link #transmit} takes a frame with its offload still to do (a large segment, a partial
     * checksum: {@link Frame#needsOffload()}) and hands it on as it is: a tap with a virtio-net header.
     * False by default: such a frame is cut and checksummed in software first ({@link Segmenter}).
     */
    protected boolean takesOffloads() {
        return false;
    }

    /**
     * Writes {@code f} out and counts it on {@code q} ({@code shared}: other threads count on {@code q}
     * too): a frame with offload work, out of a port that cannot hand the work on, is cut and
     * checksummed first, each segment counted as a frame sent; a write error counts as a transmit
     * error (a port gone takes the port down). The caller still owns {@code f}.
     */
    private void send(TxQueue q, Frame f, boolean shared) {
        try {
            if (f.needsOffload() && !takesOffloads()) {
                Segmenter.apply(f, pool, s -> sendCounted(q, s, shared));
            } else {
                sendCounted(q, f, shared);
            }
        } catch (PortGoneException e) {
            count(q.errors, 1, shared);
            down(e.getMessage());
        } catch (IOException | RuntimeException e) {
            count(q.errors, 1, shared);
        }
    }

    private void sendCounted(TxQueue q, Frame f, boolean shared) throws IOException {
        int len = f.length();
        transmit(f);
        count(q.packets, 1, shared);
        count(q.bytes, len, shared);
    }

    private static void count(Counter c, long n, boolean shared) {
        if (shared) {
            c.addShared(n);
        } else {
            c.add(n);
        }
    }

    /** After a batch of {@link #transmit} calls: push what was buffered out (a file's records, a channel's writes). */
    protected void flushTransmit() throws IOException {}

    /**
     * Whether a worker that finds this port's transmit ring full waits for room instead of dropping
     * the frame: for ports whose far side is a file rather than a wire (a pcap sink), where a loss
     * would only be the simulator's. False by default: a NIC drops and counts tx_dropped.
     */
    protected boolean waitsForRoom() {
        return false;
    }

    /**
     * Whether the workers take this port's frames themselves ({@link #pull}) instead of a receiving
     * thread {@link #deliver delivering} them into the rings: for a source whose "wire" is computation
     * (the generator at top speed), as the kernel's live-frames test run makes its frames on the CPU
     * that runs XDP. It saves a thread and a ring crossing per frame; the rings stay empty and nothing is
     * ever missed, since the worker takes only what it can process. False by default.
     */
    protected boolean receivesInline() {
        return false;
    }

    /**
     * For a port that {@link #receivesInline() receives inline}: called by the worker that polls receive
     * queue {@code queue}, on its thread, while the port is {@link #receiving()}; puts up to {@code max}
     * received frames (bytes at the headroom, length set, {@link #stamp} applied) into {@code into} from
     * index 0 and returns how many. Returning 0 means nothing now (the worker idles or polls on).
     */
    protected int pull(int queue, Frame[] into, int max) {
        throw new UnsupportedOperationException(name + " receives nothing inline");
    }

    /**
     * Whether the workers write frames out of this port themselves ({@link #transmit} on the worker's
     * thread, counted on the worker's transmit queue) instead of handing them to a transmitting thread
     * through a ring: for ports whose transmit is cheap and thread-safe (a discarding sink), where the
     * hand-over would cost more than the write. Such a port has no transmitting thread. False by default.
     */
    protected boolean transmitsInline() {
        return false;
    }

    /** Gives back what {@link #open} took; called once, after both threads ended. */
    protected abstract void closeResources();

    // ---- helpers for the receiving side

    /** Whether the receiving thread should go on. */
    protected final boolean receiving() {
        return receiving && state == PortState.UP;
    }

    /** A free buffer, or null if none is free: the caller then counts the frame with {@link #missed}. */
    protected final Frame newFrame() {
        return pool.allocate();
    }

    /**
     * For an inline receiver's {@link #pull}: a buffer for receive queue {@code queue}, preferably one
     * its worker recycled (a frame of this pool it dropped or sent, kept instead of given back: the
     * kernel's page_pool recycles XDP_DROP pages straight into its per-CPU cache in NAPI context), else
     * a free one of the pool; null if none is free. Either way one reference and no mark; the caller
     * sets the bounds, timestamp and receive information.
     */
    protected final Frame newFrame(int queue) {
        Frame f = rx[queue].takeRecycled();
        if (f != null) {
            f.setMark(0);
            return f;
        }
        return pool.allocate();
    }

    /**
     * Counts a frame lost for want of a buffer against the queue RSS would have given it (the bytes are
     * wherever the caller read them to), as a NIC with no descriptors counts rx_missed.
     */
    protected final void missed(MemorySegment data, long offset, int length) {
        rx[rss.queue(rss.hash(data, offset, length))].missed.increment();
    }

    /**
     * Hands a received frame (bytes at the headroom, length set) to the receive queue RSS picks; false
     * if the ring was full (the frame was released and counted missed).
     */
    protected final boolean deliver(Frame frame) {
        return deliver(frame, rss.hash(frame.buffer(), frame.offset(), frame.length()));
    }

    /**
     * {@link #deliver(Frame)} with the frame's RSS hash already known (a source that makes the frames
     * knows their flows, and a flow's hash never changes).
     */
    protected final boolean deliver(Frame frame, int hash) {
        int q = stamp(frame, hash);
        touched[q] = true;
        return rx[q].offer(frame);
    }

    /**
     * Like {@link #deliver}, but waits for room instead of dropping: for sources that replay a file
     * without loss rather than at a NIC's mercy. False (frame released) only if the port stops.
     */
    protected final boolean deliverWaiting(Frame frame) {
        return deliverWaiting(frame, rss.hash(frame.buffer(), frame.offset(), frame.length()));
    }

    /** {@link #deliverWaiting(Frame)} with the frame's RSS hash already known. */
    protected final boolean deliverWaiting(Frame frame, int hash) {
        int q = stamp(frame, hash);
        RxQueue queue = rx[q];
        touched[q] = true;
        while (!queue.tryOffer(frame)) {
            if (!receiving()) {
                frame.release();
                return false;
            }
            wake(queue);
            LockSupport.parkNanos(20_000);
        }
        return true;
    }

    /** Records on {@code frame} the port, the queue RSS picks for {@code hash}, and the hash; returns the queue. */
    private int stamp(Frame frame, int hash) {
        int q = rss.queue(hash);
        frame.setReceived(config.ifindex(), q, hash);
        return q;
    }

    /** After a batch of deliveries: wakes the workers of the queues that got frames (the interrupt). */
    protected final void deliverDone() {
        for (int q = 0; q < touched.length; q++) {
            if (touched[q]) {
                touched[q] = false;
                wake(rx[q]);
            }
        }
    }

    private static void wake(RxQueue queue) {
        Worker w = queue.owner();
        if (w != null) {
            w.wake();
        }
    }

    /** Takes the port down for {@code reason}: logged and kept, its threads end, frames for it are dropped. */
    protected final void down(String reason) {
        synchronized (this) {
            if (state != PortState.UP) {
                return;
            }
            downReason = reason;
            state = PortState.DOWN;
        }
        LOG.log(System.Logger.Level.WARNING, "port {0} ({1}) is down: {2}", name, describe(), reason);
        txBell.ring();
    }

    // ---- life cycle

    /**
     * Opens the port and starts its threads.
     *
     * @throws IOException if the port cannot be opened (the message says what to fix)
     * @throws IllegalStateException if it was started before
     */
    public final void start() throws IOException {
        openAndTransmit();
        startReceiving();
    }

    /**
     * The first half of {@link #start()}: opens the port and starts transmitting. A datapath does this
     * for every port before any port receives, so that no frame finds its way out not yet open.
     */
    final synchronized void openAndTransmit() throws IOException {
        if (state != PortState.CREATED) {
            throw new IllegalStateException("port " + name + " was started before");
        }
        try {
            open();
        } catch (IOException | RuntimeException e) {
            state = PortState.CLOSED;
            pool.close();
            throw e;
        }
        state = PortState.UP;
        if (hasTransmitter() && !transmitsInline()) {
            transmitting = true;
            txThread = Thread.ofPlatform().name("jxdp-" + name + "-tx").daemon().unstarted(this::runTransmitter);
            txBell.own(txThread);
            txThread.start();
        }
    }

    /** The second half of {@link #start()}: starts receiving. */
    final synchronized void startReceiving() {
        if (state == PortState.UP && hasReceiver() && receivesInline()) {
            receiving = true;
            for (RxQueue q : rx) {
                wake(q); // the workers poll the wire themselves from now on
            }
        } else if (state == PortState.UP && hasReceiver() && rxThread == null) {
            receiving = true;
            rxThread = Thread.ofPlatform().name("jxdp-" + name + "-rx").daemon().start(this::runReceiver);
        }
    }

    private void runReceiver() {
        try {
            receiveLoop();
        } catch (Throwable t) {
            if (receiving) {
                down(message(t));
            }
        } finally {
            deliverDone();
        }
    }

    private void runTransmitter() {
        while (true) {
            int sent = 0;
            for (TxQueue q : tx) {
                sent += drain(q);
            }
            if (sent > 0) {
                if (isUp()) {
                    try {
                        flushTransmit();
                    } catch (IOException | RuntimeException e) {
                        down("flushing: " + message(e));
                    }
                }
            } else if (!transmitting || state != PortState.UP && !hasPending()) {
                return;
            } else {
                txBell.sleep(IDLE_PARK_NANOS, this::hasPending);
            }
        }
    }

    private int drain(TxQueue q) {
        int n = 0;
        Frame f;
        while (n < Worker.MAX_BATCH && (f = q.poll()) != null) {
            n++;
            if (!isUp()) {
                q.dropped.addShared(1);
            } else {
                send(q, f, false);
            }
            f.release();
        }
        return n;
    }

    private boolean hasPending() {
        for (TxQueue q : tx) {
            if (!q.isEmpty()) {
                return true;
            }
        }
        return !transmitting;
    }

    final boolean lossless() {
        return waitsForRoom();
    }

    /** A worker put frames in a transmit queue: wake the transmitting thread if it sleeps. */
    final void wakeTransmitter() {
        txBell.ring();
    }

    /** Stops the receiving thread (no frame comes in after this returns). */
    public final void stopReceiving() {
        receiving = false;
        Thread t = rxThread;
        if (t != null) {
            join(t);
        }
        // A worker inside pull() saw receiving before it turned false: wait until it is out, so that no
        // frame comes in after this returns (it sets pulling before reading receiving; see RxQueue).
        for (RxQueue q : rx) {
            while (q.pulling()) {
                Thread.onSpinWait();
            }
        }
    }

    /**
     * The worker's side of inline reception: up to {@code max} frames of queue {@code q} into
     * {@code into}, or 0 if the port does not receive now.
     */
    final int pullInline(RxQueue q, Frame[] into, int max) {
        q.pulling(true); // volatile write, then the volatile read of receiving: stopReceiving sees one or the other
        try {
            return receiving() ? pull(q.index(), into, max) : 0;
        } finally {
            q.pulling(false);
        }
    }

    /**
     * For an inline receiver whose wire has nothing more to give (a generator that sent its count): the
     * workers stop polling it, as a receiving thread's loop would return.
     */
    protected final void receivedAll() {
        receiving = false;
    }

    /** Whether the workers poll this port's wire now (an inline receiver that is receiving). */
    final boolean pullsNow() {
        return receivesInline() && receiving();
    }

    /**
     * The worker's side of inline transmission: writes {@code f} out on the worker's thread as the
     * transmitting thread would ({@link #send}), counted on {@code q} ({@code shared}: other workers
     * count on the same queue too); the worker still owns it afterwards (it releases or recycles it).
     * False if the port is not up (counted as a transmit drop, as a full ring would be).
     */
    final boolean transmitInline(TxQueue q, Frame f, boolean shared) {
        if (!isUp()) {
            q.dropped.addShared(1);
            return false;
        }
        send(q, f, shared);
        return true;
    }

    /** Stops the transmitting thread once the transmit queues are empty (or the port is down). */
    public final void stopTransmitting() {
        transmitting = false;
        txBell.ring();
        Thread t = txThread;
        if (t != null) {
            join(t);
        }
    }

    /** Frames waiting in the receive queues. */
    final boolean rxPending() {
        for (RxQueue q : rx) {
            if (!q.isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Stops both threads (transmit queues drained first), gives back the port's resources and frees
     * its buffers. Frames left in receive queues are released.
     */
    @Override
    public final void close() {
        synchronized (this) {
            if (state == PortState.CLOSED) {
                return;
            }
        }
        stopReceiving();
        stopTransmitting();
        boolean opened = rxThread != null || txThread != null || state != PortState.CREATED;
        synchronized (this) {
            state = PortState.CLOSED;
        }
        if (opened) {
            try {
                closeResources();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "closing port {0}: {1}", name, message(e));
            }
        }
        for (RxQueue q : rx) {
            Frame f;
            while ((f = q.poll()) != null) {
                f.release();
            }
            q.releaseRecycled();
        }
        for (TxQueue q : tx) {
            Frame f;
            while ((f = q.poll()) != null) {
                q.dropped.addShared(1);
                f.release();
            }
        }
        pool.close();
    }

    private static void join(Thread t) {
        if (t == Thread.currentThread()) {
            return;
        }
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    static String message(Throwable t) {
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }

    @Override
    public String toString() {
        return name + " (ifindex " + ifindex() + ", " + HexFormat.ofDelimiter(":").formatHex(config.mac()) + ", " + state + ")";
    }
}
