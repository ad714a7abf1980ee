package dev.jxdp.obj;

/**
 * A well-formed object that the kernel would refuse to load, refused the same way: a GPL-only helper
 * called from a program whose license is not GPL-compatible, or a CO-RE relocation that cannot be
 * resolved. Where the kernel's verifier has a message for it, the problem text starts with it.
 */
public final class ProgramRefusedException extends ObjectLoadException {
    public ProgramRefusedException(String file, String section, long offset, String problem) {
        super(file, section, offset, problem);
    }
}
