package dev.jxdp.verifier;

/**
 * Thrown inside the verifier to refuse the program; {@link Verifier} turns it into a
 * {@link VerifierException} with the instruction and the log. {@code message} may hold several lines
 * (the kernel sometimes explains in a second line); the first is the error.
 */
final class Reject extends RuntimeException {
    static final int EPERM = 1;
    static final int E2BIG = 7;
    static final int EACCES = 13;
    static final int EFAULT = 14;
    static final int EINVAL = 22;
    static final int EBADF = 9;
    static final int ENOTSUPP = 524;

    final int errno;
    /** The instruction, or -2 for "the one being checked". */
    final int insn;

    Reject(int errno, String message) {
        this(errno, -2, message);
    }

    Reject(int errno, int insn, String message) {
        super(message, null, false, false);
        this.errno = errno;
        this.insn = insn;
    }

    static Reject eacces(String format, Object... args) {
        return new Reject(EACCES, args.length == 0 ? format : String.format(format, args));
    }

    static Reject einval(String format, Object... args) {
        return new Reject(EINVAL, args.length == 0 ? format : String.format(format, args));
    }
}
