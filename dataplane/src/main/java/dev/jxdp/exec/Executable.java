package dev.jxdp.exec;

/** A prepared program. Runs may happen one after another; each starts from fresh registers and stack. */
public interface Executable {

    /**
     * Runs the program once and returns r0 as the main function left it.
     *
     * @throws ExecutionException if the program faults, naming the instruction
     */
    long run(Invocation invocation);
}
