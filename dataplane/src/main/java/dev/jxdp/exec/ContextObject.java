package dev.jxdp.exec;

/**
 * The object behind a program's context pointer (the hooks' xdp_md or __sk_buff), handed to a run in
 * {@link Invocation#context()}, so that an engine can serve a context load the verifier proved valid
 * as a read of the object (the kernel's convert_ctx_access) instead of a region lookup. The region
 * of the context stays in the run's memory for everything else (checked engines, stores, helpers).
 */
public interface ContextObject {

    /**
     * What a load of {@code width} bytes at {@code offset} of the structure gives the program: for
     * xdp_md.data a 64-bit address, for a scalar field its value zero-extended. The verifier has
     * checked the access (offset, width, program type), so implementations need not check again.
     */
    long load(int offset, int width);
}
