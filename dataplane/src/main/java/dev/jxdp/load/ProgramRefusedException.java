package dev.jxdp.load;

import dev.jxdp.verifier.VerifierException;

/**
 * The verifier refused a program of the object, so the object does not load (BPF_PROG_LOAD's EACCES or
 * EINVAL). The message is what {@code jxdp verify} ends with, {@code NAME: insn N: MESSAGE} in the
 * kernel's wording, after the file; {@link #verifierError()} has the log.
 */
public final class ProgramRefusedException extends LoadException {
    private final String program;
    private final VerifierException verifierError;

    ProgramRefusedException(String file, String program, VerifierException e) {
        super(file + ": program " + program + ": " + (e.insn() >= 0 ? "insn " + e.insn() + ": " : "") + e.getMessage()
                + " (refused by the verifier; jxdp verify " + file + " --name " + program + " shows its log)", e);
        this.program = program;
        this.verifierError = e;
    }

    public String program() {
        return program;
    }

    public VerifierException verifierError() {
        return verifierError;
    }
}
