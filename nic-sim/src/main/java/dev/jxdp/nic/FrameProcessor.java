package dev.jxdp.nic;

import dev.jxdp.nic.frame.Frame;

/**
 * What a poll-mode worker does with each frame it takes off a receive queue: decide where it goes.
 * The production implementation is the XDP/tc pipeline of {@code dev.jxdp.hooks} (XDP, then tc
 * ingress, then the host; tc egress of the port a frame leaves by); the NIC model itself knows
 * nothing of programs and calls only this.
 *
 * <p>The processor owns the frame during the call: it may read and write the frame's bytes, move its
 * bounds ({@link Frame#setBounds}, after adjust_head/meta/tail), and make extra frames through the
 * {@link WorkerContext} (copies for clone and broadcast redirects). It returns the frame's
 * {@link Destination}; the worker then moves the frame there (and counts it). A processor that keeps
 * the frame beyond the call must {@link Frame#retain() retain} it and return {@link Destination.Verdict#CONSUMED}.
 *
 * <p>Each worker calls its processor from its own thread only; one processor instance serves all
 * workers, so per-worker state belongs in the {@link WorkerContext#index() worker's} slot (as
 * per-CPU maps keep one value per worker).
 */
public interface FrameProcessor {

    /**
     * A frame from a port's receive queue ({@link Frame#ingressIfindex()}, {@link Frame#rxQueue()} and
     * {@link Frame#hash()} say where from): where it goes.
     */
    Destination receive(Frame frame, WorkerContext worker);

    /**
     * A batch of up to 64 frames from one receive queue, as a NAPI poll hands them over: fills
     * {@code out[i]} with frame {@code i}'s destination. A pipeline overrides this to do per-batch work
     * once (the kernel flushes redirect bulk queues at the end of each poll, xdp_do_flush).
     */
    default void receive(Frame[] frames, int count, Destination[] out, WorkerContext worker) {
        for (int i = 0; i < count; i++) {
            out[i] = receive(frames[i], worker);
        }
    }

    /**
     * A frame another worker handed to this one ({@link Destination.Handover}, a cpumap redirect): where
     * it goes now. By default such frames are dropped: a processor that hands frames over must say what
     * the receiving worker does with them.
     */
    default Destination handedOver(Frame frame, WorkerContext worker) {
        return Destination.Verdict.DROP;
    }

    /**
     * A frame the local stack sent (read from the host port, e.g. a tap's kernel side): where it goes.
     * By default it is dropped: only a processor that routes the host's traffic knows its way out.
     */
    default Destination fromHost(Frame frame, WorkerContext worker) {
        return Destination.Verdict.DROP;
    }
}
