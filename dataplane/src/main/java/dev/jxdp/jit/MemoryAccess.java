package dev.jxdp.jit;

import dev.jxdp.exec.RegionKind;
import java.util.Objects;

/**
 * How the JIT compiles one load, store or atomic: what {@link ProgramFacts} says about it.
 */
public sealed interface MemoryAccess {

    /** Not proven: go through the run's {@link dev.jxdp.exec.MemoryMap}, with the interpreter's checks and errors. */
    record Checked() implements MemoryAccess {}

    /**
     * Proven in bounds (and, for atomics, naturally aligned) of plain memory of this kind: one
     * unchecked little-endian access of the instruction's width at the computed address. The JIT
     * refuses {@link RegionKind#CONTEXT} here: context structures are served by handlers, never by
     * raw memory.
     */
    record Direct(RegionKind region) implements MemoryAccess {
        public Direct {
            Objects.requireNonNull(region);
        }
    }

    /**
     * A load of the context proven valid, with its place in the structure from the verifier's rewrite
     * table (the kernel's convert_ctx_access): the run's {@link dev.jxdp.exec.ContextObject} gives the
     * value, an {@code xdp_md.data} load becoming a read of the frame's data address. Loads only;
     * context stores stay {@link Checked}.
     *
     * @param offset the byte offset of the access in the context structure
     */
    record ContextLoad(int offset) implements MemoryAccess {}

    MemoryAccess CHECKED = new Checked();
}
