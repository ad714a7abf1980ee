package dev.jxdp.nic;

import dev.jxdp.nic.frame.Frame;
import org.jctools.queues.MessagePassingQueue;
import org.jctools.queues.atomic.SpscAtomicArrayQueue;

/**
 * One receive queue of a port: a bounded ring from the port's receiving thread (the NIC filling
 * descriptors) to the one worker that polls it. A frame that finds the ring full is dropped and
 * counted as {@code rx_missed}, as a NIC counts frames it had no descriptor for; the ring never grows.
 *
 * <p>Ring type by producers and consumers: single producer (the port's one receiving thread), single
 * consumer (the one worker the queue is assigned to), so JCTools' SPSC ring, the cheapest. A port that
 * {@linkplain Port#receivesInline() receives inline} leaves the ring empty: its worker takes frames
 * from the port directly.
 */
public final class RxQueue {
    private final Port port;
    private final int index;
    private final SpscAtomicArrayQueue<Frame> ring;
    private volatile Worker owner;
    /** The worker is inside {@link Port#pull} for this queue (an inline receiver; see {@link Port#stopReceiving}). */
    private volatile boolean pulling;

    /** Frames the worker took off the ring, and their bytes (the worker counts). */
    public final Counter packets = new Counter();
    public final Counter bytes = new Counter();
    /** Frames the processor dropped or aborted (the worker counts). */
    public final Counter drops = new Counter();
    /** Frames lost because the ring was full or no buffer was free (the port's receiving thread counts). */
    public final Counter missed = new Counter();

    RxQueue(Port port, int index, int slots) {
        this.port = port;
        this.index = index;
        // JCTools' atomic variant: the same single-producer single-consumer ring without sun.misc.Unsafe.
        this.ring = new SpscAtomicArrayQueue<>(slots);
    }

    public Port port() {
        return port;
    }

    public int index() {
        return index;
    }

    /** The worker that polls this queue, or null before a datapath assigns one. */
    public Worker owner() {
        return owner;
    }

    void assign(Worker worker) {
        this.owner = worker;
    }

    boolean pulling() {
        return pulling;
    }

    void pulling(boolean p) {
        pulling = p;
    }

    /**
     * Frames of an inline receiver's pool its worker was done with, kept for the next pull instead of
     * given back to the pool (no reference count, no pool ring per frame). Only the worker's thread
     * touches them, until the port closes after the workers stopped.
     */
    private final Frame[] recycled = new Frame[2 * Worker.MAX_BATCH];
    private int recycledCount;

    /** The worker's side: keeps {@code f} (one reference, this port's pool) for reuse; false if there is no room. */
    boolean recycle(Frame f) {
        if (recycledCount == recycled.length) {
            return false;
        }
        recycled[recycledCount++] = f;
        return true;
    }

    /** The worker's side (through the port's pull): the last frame recycled, or null. */
    Frame takeRecycled() {
        if (recycledCount == 0) {
            return null;
        }
        Frame f = recycled[--recycledCount];
        recycled[recycledCount] = null;
        return f;
    }

    /** Gives the recycled frames back to the pool (the port closes). */
    void releaseRecycled() {
        Frame f;
        while ((f = takeRecycled()) != null) {
            f.release();
        }
    }

    /** Slots in the ring. */
    public int capacity() {
        return ring.capacity();
    }

    /** Frames waiting now. */
    public int size() {
        return ring.size();
    }

    boolean isEmpty() {
        return ring.isEmpty();
    }

    /** The port's side: enqueues, or releases the frame and counts it missed. */
    boolean offer(Frame frame) {
        if (ring.offer(frame)) {
            return true;
        }
        missed.increment();
        frame.release();
        return false;
    }

    /** The port's side: enqueues if there is room (for sources that wait instead of dropping). */
    boolean tryOffer(Frame frame) {
        return ring.offer(frame);
    }

    /** The worker's side: up to {@code limit} frames into {@code consumer}. */
    int drain(MessagePassingQueue.Consumer<Frame> consumer, int limit) {
        return ring.drain(consumer, limit);
    }

    Frame poll() {
        return ring.poll();
    }

    @Override
    public String toString() {
        return port.name() + " rx " + index;
    }
}
