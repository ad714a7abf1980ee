package dev.jxdp.nic.pipeline;

import dev.jxdp.nic.Counter;
import dev.jxdp.nic.Destination;
import dev.jxdp.nic.WorkerContext;
import dev.jxdp.nic.frame.Frame;
import java.lang.foreign.MemorySegment;

/**
 * What the hooks' sinks were given while one frame went through the pipeline on one worker: the
 * hooks hand each transmitted or host-bound packet to a sink during the call, as a segment valid only
 * then, while the NIC model wants one destination per frame afterwards.
 *
 * <p>A packet that lies inside the frame's own buffer (XDP_TX, a redirect or XDP_PASS of the frame as
 * the programs left it) is remembered as bounds, so the frame itself goes out: no copy. Anything else
 * (a broadcast's copies, a clone, an skb a helper moved to a bigger buffer) is copied into a fresh
 * buffer of the frame's pool at once and sent on its own. A frame whose buffer the pipeline does not
 * use (the token of a cpumap hand-over, whose bytes the hooks keep in their own queue) takes the first
 * packet's bytes itself. One per worker, reused.
 */
final class Deliveries {
    /** The frame collected for now (between start and finish), null otherwise. */
    private Frame frame;
    /**
     * The worker and thread that collected last: collecting now while {@link #frame} is set. Kept from
     * frame to frame and written only when they change (another thread took the worker's index over):
     * every reference store costs G1's write barriers, and these are the same frame after frame.
     */
    private WorkerContext worker;
    private Thread thread;
    /** The frame's buffer is not the packet's: the first packet is copied into it. */
    private boolean frameFree;
    private Destination inFrame;
    private int inFrameOffset;
    private int inFrameLength;
    private int inFrameMark;
    private int inFrameGsoSize;
    private int copies;
    /** Packets lost because no buffer was free for their copy (or it was too long for one). */
    final Counter copyFailures = new Counter();

    /** Starts collecting for {@code f} on {@code w}. */
    void start(Frame f, WorkerContext w, boolean bufferFree) {
        frame = f;
        if (worker != w) {
            worker = w;
        }
        Thread t = Thread.currentThread();
        if (thread != t) {
            thread = t;
        }
        frameFree = bufferFree;
        if (inFrame != null) {
            inFrame = null; // a frame whose processing failed before finish
        }
        inFrameMark = 0;
        copies = 0;
    }

    /** A sink got {@code packet}, bound for {@code to}. */
    void add(Destination to, MemorySegment packet) {
        add(to, packet, 0, (int) packet.byteSize(), 0, 0);
    }

    /**
     * A sink got the {@code len} bytes at {@code at} of {@code memory}, bound for {@code to}, with an skb
     * mark (packets for the host keep theirs) and segment size (a large segment's, as a helper may have
     * changed it; 0 for an ordinary packet). Given as a place in a segment rather than a slice, so
     * that a packet that goes out in the frame's own buffer (the usual case) costs no segment.
     */
    void add(Destination to, MemorySegment memory, long at, int len, int mark, int gsoSize) {
        MemorySegment buf = frame.buffer();
        if (frameFree) {
            if (inFrame == null && len <= frame.maxLength()) {
                frame.copyFrom(memory, at, len);
                inFrame = to;
                inFrameOffset = frame.offset();
                inFrameLength = len;
                inFrameMark = mark;
                inFrameGsoSize = gsoSize;
            } else {
                emitCopy(to, memory.asSlice(at, len), mark, gsoSize);
            }
            return;
        }
        long off = memory.address() + at - buf.address();
        if (memory.isNative() && off >= 0 && off + len <= buf.byteSize() && fits(off, len)) {
            if (inFrame != null) {
                // a second packet in the frame: the first goes as a copy
                emitCopy(inFrame, buf.asSlice(inFrameOffset, inFrameLength), inFrameMark, inFrameGsoSize);
            }
            inFrame = to;
            inFrameOffset = (int) off;
            inFrameLength = len;
            inFrameMark = mark;
            inFrameGsoSize = gsoSize;
            return;
        }
        emitCopy(to, memory.asSlice(at, len), mark, gsoSize);
    }

    private boolean fits(long off, int len) {
        var layout = frame.pool().layout();
        return off + len <= layout.capacity() - layout.tailroom();
    }

    private void emitCopy(Destination to, MemorySegment packet, int mark, int gsoSize) {
        Frame c = frame.pool().allocate();
        if (c == null) {
            copyFailures.increment();
            return;
        }
        if (packet.byteSize() > c.maxLength()) {
            c.release();
            copyFailures.increment();
            return;
        }
        c.copyFrom(packet, 0, (int) packet.byteSize());
        c.setReceived(frame.ingressIfindex(), frame.rxQueue(), frame.hash());
        c.setTimestampNanos(frame.timestampNanos());
        c.setMark(mark);
        c.copyOffloadFrom(frame, packet); // a broadcast's copies of a large segment stay large, as skb clones keep their gso fields
        c.resizeSegments(gsoSize);
        copies++;
        worker.emit(c, to);
    }

    /**
     * Where the frame itself goes now that the pipeline is done with it: the packet found in its buffer
     * (its bounds set), or null if none was (everything delivered went as copies).
     */
    Destination finish() {
        Destination d = inFrame;
        if (d != null) {
            frame.setBounds(inFrameOffset, inFrameLength, 0);
            frame.setMark(inFrameMark);
            frame.resizeSegments(inFrameGsoSize);
            inFrame = null;
        }
        frame = null;
        return d;
    }

    /** Whether {@code t} is collecting into this one now. */
    boolean collectingOn(Thread t) {
        return thread == t && frame != null;
    }

    /** Whether the frame's buffer was free of the packet (see {@link #start}). */
    boolean frameFree() {
        return frameFree;
    }

    /** Copies sent for the current frame. */
    int copies() {
        return copies;
    }
}
