package dev.jxdp.nic;

import dev.jxdp.nic.frame.Frame;
import java.util.concurrent.locks.LockSupport;
import org.jctools.queues.atomic.MpscAtomicArrayQueue;

/**
 * One transmit queue of a port: a bounded ring from the workers (several may share a queue) to the
 * port's transmitting thread. A frame that finds the ring full, or the port down, is dropped and
 * counted as {@code tx_dropped}.
 *
 * <p>Ring type by producers and consumers: several producers (every worker whose index maps to this
 * queue, and a worker emitting copies), one consumer (the port's transmitting thread), so JCTools'
 * MPSC ring. A port that {@linkplain Port#transmitsInline() transmits inline} leaves it empty and
 * only its counters are used.
 */
public final class TxQueue {
    private final Port port;
    private final int index;
    private final MpscAtomicArrayQueue<Frame> ring;

    /** Frames and bytes the port sent (the port's transmitting thread counts). */
    public final Counter packets = new Counter();
    public final Counter bytes = new Counter();
    /** Frames the port failed to send (a write error). */
    public final Counter errors = new Counter();
    /** Frames that found the ring full or the port down (any worker counts). */
    public final Counter dropped = new Counter();

    TxQueue(Port port, int index, int slots) {
        this.port = port;
        this.index = index;
        // JCTools' atomic variant: multi-producer single-consumer without sun.misc.Unsafe.
        this.ring = new MpscAtomicArrayQueue<>(slots);
    }

    public Port port() {
        return port;
    }

    public int index() {
        return index;
    }

    public int capacity() {
        return ring.capacity();
    }

    public int size() {
        return ring.size();
    }

    boolean isEmpty() {
        return ring.isEmpty();
    }

    /**
     * A worker's side: enqueues, or releases the frame and counts it dropped; for a port that
     * {@linkplain Port#waitsForRoom() waits for room}, waits while the port is up. The caller rings the port.
     */
    boolean offer(Frame frame) {
        if (port.isUp() && ring.offer(frame)) {
            return true;
        }
        if (port.lossless()) {
            while (port.isUp()) {
                port.wakeTransmitter();
                LockSupport.parkNanos(10_000);
                if (ring.offer(frame)) {
                    return true;
                }
            }
        }
        dropped.addShared(1);
        frame.release();
        return false;
    }

    Frame poll() {
        return ring.relaxedPoll();
    }

    @Override
    public String toString() {
        return port.name() + " tx " + index;
    }
}
