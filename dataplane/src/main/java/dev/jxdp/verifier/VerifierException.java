package dev.jxdp.verifier;

/**
 * The verifier refused a program. {@link #getMessage()} is the kernel's wording of the first problem
 * (one line, e.g. {@code R1 !read_ok}); {@link #insn()} is the instruction it was found at (-1 when the
 * problem is the program as a whole, such as its size); {@link #log()} is the verifier log at the
 * requested level, ending with the error and the statistics, as the kernel prints it.
 */
public final class VerifierException extends RuntimeException {
    /** The kernel's errno for this kind of refusal (EACCES 13, EINVAL 22, E2BIG 7, ...). */
    private final int errno;
    private final int insn;
    private final String log;
    private final VerifierStats stats;

    VerifierException(String message, int errno, int insn, String log, VerifierStats stats) {
        super(message);
        this.errno = errno;
        this.insn = insn;
        this.log = log;
        this.stats = stats;
    }

    public int insn() {
        return insn;
    }

    public int errno() {
        return errno;
    }

    public String log() {
        return log;
    }

    public VerifierStats stats() {
        return stats;
    }

    /** The last {@code n} lines of the log, as a rejected program's report shows them. */
    public String logTail(int n) {
        String[] lines = log.split("\n");
        int from = Math.max(0, lines.length - n);
        return String.join("\n", java.util.Arrays.copyOfRange(lines, from, lines.length));
    }
}
