package dev.jxdp.nic;

import dev.jxdp.nic.frame.Frame;

/**
 * What a {@link FrameProcessor} sees of the worker calling it.
 */
public interface WorkerContext {
    /**
     * This worker's index, 0 .. {@link #workers()} - 1: the "CPU" of the programs it runs, which
     * per-CPU maps index by and bpf_get_smp_processor_id returns (the run's
     * {@code dev.jxdp.exec.Invocation.worker}).
     */
    int index();

    /** How many workers the datapath has (the possible CPUs per-CPU maps are sized for). */
    int workers();

    /** The port with this ifindex, or null: where a devmap or tc redirect sends a frame. */
    Port port(int ifindex);

    /** The destination that hands a frame to worker {@code index} (a cpumap entry's CPU). */
    Destination handover(int index);

    /** A copy of {@code frame} in a fresh buffer of the same pool, or null if none is free (count it as a drop). */
    Frame copy(Frame frame);

    /**
     * Sends an extra frame (a copy) to {@code destination} as if a processor had returned it; the
     * worker owns it from here. False if it was dropped (a full ring, a port that is down).
     */
    boolean emit(Frame frame, Destination destination);
}
