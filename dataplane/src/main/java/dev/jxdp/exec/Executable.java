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
}
