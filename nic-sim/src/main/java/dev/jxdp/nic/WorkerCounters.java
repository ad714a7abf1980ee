package dev.jxdp.nic;

/** What one worker did; every counter is written by the worker's thread only. */
public final class WorkerCounters {
    /** Polling rounds over the worker's queues, and those that found frames. */
    public final Counter polls = new Counter();
    public final Counter busyPolls = new Counter();
    /** Batches handed to the processor, and the frames in them (received, handed over, from the host). */
    public final Counter batches = new Counter();
    public final Counter frames = new Counter();
    /** Frames by fate. */
    public final Counter dropped = new Counter();
    public final Counter aborted = new Counter();
    public final Counter toHost = new Counter();
    public final Counter transmitted = new Counter();
    public final Counter handedOver = new Counter();
    public final Counter consumed = new Counter();
    /** Frames that could not go where the processor sent them: a full ring, a port down, no host port, no such worker. */
    public final Counter undeliverable = new Counter();
    /** Processor calls that threw (their frames count as aborted). */
    public final Counter errors = new Counter();
}
