package dev.jxdp.jit;

/**
 * What every generated class implements: the entry of the main function. One interface call per run;
 * everything below it is static calls inside the generated class.
 */
interface CompiledCode {
    long run(JitRun rt, long r1, long r2, long r3, long r4, long r5);

    /**
     * Calls the function at address {@code target} for a helper's callback (bpf_loop,
     * bpf_for_each_map_elem) with r1-r5, from the helper call at slot {@code pc}; returns its r0.
     * Generated only for programs with function references: without one no address is a callback.
     */
    default long callback(JitRun rt, long target, int pc, long r1, long r2, long r3, long r4, long r5) {
        throw rt.badCallback(target);
    }
}
