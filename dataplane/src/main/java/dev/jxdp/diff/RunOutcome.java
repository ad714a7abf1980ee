package dev.jxdp.diff;

/** What one BPF_PROG_TEST_RUN of one packet gave on one side. */
sealed interface RunOutcome {
    /** The run happened: retval, data_out, ctx_out. */
    record Ran(long retval, byte[] dataOut, byte[] ctxOut) implements RunOutcome {}

    /** The test run refused the input (the kernel's errno, by name: EINVAL). */
    record Refused(String errno) implements RunOutcome {}

    /** jxdp's program faulted (the kernel's verifier would have refused it; a test run cannot fault there). */
    record Faulted(String message) implements RunOutcome {}

    /** One line for the report. */
    default String describe() {
        return switch (this) {
            case Ran r -> "ran, retval " + r.retval();
            case Refused r -> "refused with " + r.errno();
            case Faulted f -> "faulted: " + f.message();
        };
    }
}
