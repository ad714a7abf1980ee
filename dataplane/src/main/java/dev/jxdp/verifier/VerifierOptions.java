package dev.jxdp.verifier;

/**
 * How to verify.
 *
 * @param privileged true (the default, and the reference): the rules for a loader with CAP_BPF and
 *     CAP_PERFMON, as root loads are; false adds the unprivileged checks (no back-edges, no reads of
 *     uninitialised stack, no pointer arithmetic results stored or compared as numbers)
 * @param logLevel 0: the error only; 1: the instructions of the failing path with the registers each
 *     one touched; 2: every path, with the state at every instruction (the kernel's log levels)
 * @param insnLimit processed-instruction budget (the kernel's BPF_COMPLEXITY_LIMIT_INSNS, 1,000,000)
 */
public record VerifierOptions(boolean privileged, int logLevel, int insnLimit) {
    public static final int COMPLEXITY_LIMIT_INSNS = 1_000_000;

    public VerifierOptions {
        if (logLevel < 0 || logLevel > 2) {
            throw new IllegalArgumentException("log level must be 0, 1 or 2, not " + logLevel);
        }
        if (insnLimit <= 0) {
            throw new IllegalArgumentException("instruction limit must be positive");
        }
    }

    public static VerifierOptions defaults() {
        return new VerifierOptions(true, 0, COMPLEXITY_LIMIT_INSNS);
    }

    public VerifierOptions withLogLevel(int level) {
        return new VerifierOptions(privileged, level, insnLimit);
    }

    public VerifierOptions withPrivileged(boolean p) {
        return new VerifierOptions(p, logLevel, insnLimit);
    }

    public VerifierOptions withInsnLimit(int limit) {
        return new VerifierOptions(privileged, logLevel, limit);
    }
}
