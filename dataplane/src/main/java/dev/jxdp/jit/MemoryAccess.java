package dev.jxdp.jit;

import dev.jxdp.exec.RegionKind;
import java.util.Objects;

/**
 * How the JIT compiles one load, store or atomic: what {@link ProgramFacts} says about it.
 *
 * <p>A future variant will carry a context-field rewrite (the kernel's convert_ctx_access: an
 * {@code xdp_md.data} load becoming a field load of the hook's packet object); it belongs here, next
 * to the two kinds of memory access, when the hooks exist.
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

    MemoryAccess CHECKED = new Checked();
}
