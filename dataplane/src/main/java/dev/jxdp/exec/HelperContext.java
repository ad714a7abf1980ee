package dev.jxdp.exec;

/** What a {@link Helper} may reach while it runs. */
public interface HelperContext {

    /**
     * The run's checked memory: the caller's regions and the live stack frames. A helper that hands
     * the program a pointer to new memory (a map value) adds its region here first.
     */
    MemoryMap memory();

    /**
     * Whether the running code accesses memory unchecked because the verifier proved every access (a
     * verified program on the JIT): then the helper's pointer arguments are what the verifier checked
     * against its prototype, so it may read them without {@link #memory()}, and the program's own
     * accesses need no region for memory the helper hands it ({@link #expose}). False for the checked
     * engines, which stay the reference.
     */
    default boolean pointersProven() {
        return false;
    }

    /**
     * Makes {@code region} (a map value a lookup hands out) the program's to use: a region of
     * {@link #memory()}. An engine whose accesses are all proven may defer that until something asks
     * for the memory (another helper taking the pointer), so that a lookup costs no region table.
     */
    default void expose(Region region) {
        memory().addIfAbsent(region);
    }

    /** The slot index of the call instruction. */
    int pc();

    /** The packet worker running the program ({@link Invocation#worker()}): the kernel's CPU. */
    int worker();

    /** The run's {@link Invocation#attachment()}: state of whoever runs the program, or null. */
    Object attachment();

    /**
     * Calls a function of the running program, as bpf_loop and bpf_for_each_map_elem call their
     * callbacks: {@code function} is a function address ({@code ld_imm64} FUNC, see
     * {@link FunctionAddress}), r1-r5 its arguments, the result its r0. The callee gets a frame of its
     * own (it counts towards the 8-frame limit), r0 and r6-r9 start at 0, and the caller's registers
     * are as they were when it returns.
     *
     * @throws MemoryFault if {@code function} is not the address of a function of this program
     * @throws ExecutionException if the callee faults
     */
    long callFunction(long function, long r1, long r2, long r3, long r4, long r5);
}
