package dev.jxdp.exec;

/**
 * What {@code bpf_tail_call(ctx, prog_array, index)} (helper 12) needs from whoever loaded the
 * program: the program in slot {@code index} of the prog array {@code map}. The engines do the rest as
 * the kernel does: on success the callee replaces the calling function (it runs with r1 = ctx, and
 * its r0 is what the calling function returns); on failure execution goes on after the call with r0
 * unreadable (the kernel's verifier marks it so: "R0 !read_ok").
 */
@FunctionalInterface
public interface TailCalls {

    /**
     * The program to continue in, or null when the tail call fails (index out of range, empty slot,
     * or the run's 33 tail calls used up: the resolver counts them, in the run's
     * {@link HelperContext#attachment()}).
     *
     * @throws MemoryFault if {@code map} is not a prog array (the kernel's verifier refuses that)
     */
    Executable target(HelperContext context, long map, long index);
}
