package dev.jxdp.hooks;

import dev.jxdp.exec.MemoryFault;

/**
 * Which accesses of a context structure a program of some type may make, and which field each
 * reaches: the kernel's {@code is_valid_access} callbacks (xdp_is_valid_access,
 * tc_cls_act_is_valid_access with bpf_skb_is_valid_access). This is the seam the verifier's context
 * descriptors replace: the verifier refuses at load what these refuse at run time, and its rewrite
 * table can stand in for {@link #check} (an access that passes names the field to read or write).
 *
 * @param <F> the structure's fields
 */
@FunctionalInterface
public interface ContextRules<F extends ContextField> {

    /**
     * The field an access of {@code size} bytes at {@code offset} reaches.
     *
     * @throws MemoryFault with the verifier's words ({@code invalid bpf_context access off=88 size=4})
     *     if the kernel would refuse the program that makes it
     */
    F check(long offset, int size, boolean write);

    /** The verifier's message for an access it refuses. */
    static MemoryFault refused(long offset, int size) {
        return new MemoryFault("invalid bpf_context access off=" + offset + " size=" + size
                + " (the kernel's verifier refuses this context access)");
    }
}
