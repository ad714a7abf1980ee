package dev.jxdp.jit;

/**
 * What the verifier has proven about a program, in the form the JIT consumes. Until the verifier
 * exists, {@link #unverified()} proves nothing: every access is {@link MemoryAccess.Checked} and
 * instructions are counted against the run's budget. The JIT asks only about instructions of the
 * program it compiles, by slot index.
 */
public interface ProgramFacts {

    /** The access plan for the load, store or atomic at slot {@code pc}. */
    default MemoryAccess access(int pc) {
        return MemoryAccess.CHECKED;
    }

    /**
     * Whether the JIT must count executed instructions against {@link dev.jxdp.exec.Invocation#budget()}.
     * A verified program has bounded loops, so it may skip the counting; an unverified one must not.
     */
    default boolean countInstructions() {
        return true;
    }

    /**
     * How many bytes below r10 the main function may touch: a run zeroes only these of its first
     * frame (the verifier's stack depth; the whole 512-byte frame when nothing is known).
     */
    default int stackDepth() {
        return 512;
    }

    /**
     * Whether every load, store and atomic outside the context is planned unchecked, so that helpers
     * may trust the program's pointers ({@link dev.jxdp.exec.HelperContext#pointersProven()}).
     */
    default boolean pointersProven() {
        return false;
    }

    /**
     * The array whose values the bpf_map_lookup_elem at slot {@code pc} reads, where the verifier
     * proved that every path passes that one ARRAY map; null where the call must stay a helper call.
     */
    default ArrayValues inlineArray(int pc) {
        return null;
    }

    /**
     * The HASH map the bpf_map_lookup_elem at slot {@code pc} is a direct call on, where the verifier
     * proved that every path passes that one map; null where the call must stay a helper call.
     */
    default HashLookup inlineHash(int pc) {
        return null;
    }

    /** No facts: everything is checked and counted. */
    static ProgramFacts unverified() {
        return Unverified.INSTANCE;
    }

    /** The one instance of {@link #unverified()}. */
    enum Unverified implements ProgramFacts {
        INSTANCE
    }
}
