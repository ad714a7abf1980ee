package dev.jxdp.kernel;

/**
 * What BPF_PROG_TEST_RUN reports.
 *
 * @param retval the program's return value: the low 32 bits of r0 ({@code __u32 retval}), zero-extended
 * @param durationNs mean time of one run in nanoseconds, as the kernel measured it (a u32)
 * @param dataOut the packet after the (last) run, data_size_out bytes; empty without a data_out buffer
 * @param ctxOut the context after the run, ctx_size_out bytes; empty without a ctx_out buffer
 */
public record TestRunResult(long retval, long durationNs, byte[] dataOut, byte[] ctxOut) {
    public TestRunResult {
        dataOut = dataOut.clone();
        ctxOut = ctxOut.clone();
    }

    @Override
    public byte[] dataOut() {
        return dataOut.clone();
    }

    @Override
    public byte[] ctxOut() {
        return ctxOut.clone();
    }
}
