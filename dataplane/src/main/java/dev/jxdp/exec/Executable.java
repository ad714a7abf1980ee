package dev.jxdp.exec;

/** A prepared program. Runs may happen one after another; each starts from fresh registers and stack. */
public interface Executable {

    /**
     * Runs the program once and returns r0 as the main function left it.
     *
     * @throws ExecutionException if the program faults, naming the instruction
     */
    long run(Invocation invocation);

    /**
     * Runs the program once with {@code attachment} as the invocation's attachment, as
     * {@code run(invocation.withAttachment(attachment))} does; an engine may do it without making that
     * copy (a loaded program attaches its run state to every run, and this is the per-run path).
     */
    default long run(Invocation invocation, Object attachment) {
        return run(invocation.withAttachment(attachment));
    }

    /**
     * This program with the calling thread's run state found now, once, for a caller that runs it
     * many times on this thread and keeps what this returns (a packet worker): its runs skip the
     * engine's per-thread lookup. An engine with no per-thread state returns itself (the default).
     * Only the asking thread may run it that way; on another thread, or nested in one of its own runs
     * (a helper running the program again), it runs as {@link #run(Invocation, Object)} does.
     */
    default Executable onThisThread() {
        return this;
    }
}
