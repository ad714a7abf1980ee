package dev.jxdp.kernel;

/**
 * The outcome of running a body in the kernel.
 *
 * @param r0 the body's return value; only the low {@code r0Bits} bits are known, the rest are zero
 * @param r0Bits 64 for {@link XdpSubprogramHarness}, which stores the whole register; 32 for
 *        {@link SkbInlineHarness}, where r0 only comes back as BPF_PROG_TEST_RUN's 32-bit retval
 * @param memOut the memory (packet bytes) the body saw, after it ran
 */
public record KernelResult(long r0, int r0Bits, byte[] memOut) {
    public KernelResult {
        if (r0Bits != 32 && r0Bits != 64) {
            throw new IllegalArgumentException("r0 has 32 or 64 known bits, not " + r0Bits);
        }
        memOut = memOut.clone();
    }

    @Override
    public byte[] memOut() {
        return memOut.clone();
    }

    /** Whether {@code expected} agrees with r0 in the bits the kernel reported. */
    public boolean r0Matches(long expected) {
        return r0Bits == 64 ? r0 == expected : r0 == (expected & 0xffff_ffffL);
    }
}
