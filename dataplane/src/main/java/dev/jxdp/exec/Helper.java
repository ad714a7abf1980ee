package dev.jxdp.exec;

/**
 * A helper function ({@code call 0x1}), given the argument registers r1-r5 and returning r0.
 *
 * <p>Helpers get the argument values, not the registers, so r1-r5 keep their values across a call
 * at run time. The kernel's verifier treats them as clobbered, so no verified program can tell;
 * keeping them is the one deterministic choice, and engines must all make it.
 */
@FunctionalInterface
public interface Helper {

    /**
     * @throws MemoryFault for a refused access through {@link HelperContext#memory()}; the engine
     *     reports it as an {@link ExecutionException} at the call
     */
    long call(HelperContext context, long r1, long r2, long r3, long r4, long r5);
}
