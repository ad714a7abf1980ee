package dev.jxdp.isa;

/**
 * A byte string that is not a valid eBPF program. {@link #index()} is the instruction (slot) index
 * the problem was found at, or -1 when it concerns the whole program; the message names it.
 */
public final class DecodeException extends RuntimeException {
    private final int index;
    private final String problem;

    public DecodeException(int index, String problem) {
        super(index >= 0 ? "insn " + index + ": " + problem : problem);
        this.index = index;
        this.problem = problem;
    }

    /** The message without the instruction index. */
    public String problem() {
        return problem;
    }

    public int index() {
        return index;
    }
}
