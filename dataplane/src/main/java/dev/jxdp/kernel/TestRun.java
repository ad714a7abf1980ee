package dev.jxdp.kernel;

/**
 * The input of BPF_PROG_TEST_RUN ({@code struct test} of {@code union bpf_attr}). Start from
 * {@link #of} and change fields with the {@code with...} methods.
 *
 * @param dataIn the packet (data_in); XDP and skb programs need at least ETH_HLEN (14) bytes
 * @param dataOutCapacity size of the data_out buffer; 0 passes no buffer (required for live frames)
 * @param ctxIn the context (ctx_in, e.g. a struct xdp_md), or null for the kernel's default
 * @param ctxOutCapacity size of the ctx_out buffer; 0 passes none
 * @param repeat how many times the kernel runs the program (0 and 1 both mean once); duration is
 *        the mean of the runs
 * @param flags an or of the {@code F_*} constants
 * @param cpu the cpu for {@link #F_RUN_ON_CPU}
 * @param batchSize batch_size for {@link #F_XDP_LIVE_FRAMES} (0 lets the kernel choose)
 */
public record TestRun(byte[] dataIn, int dataOutCapacity, byte[] ctxIn, int ctxOutCapacity,
                      int repeat, int flags, int cpu, int batchSize) {
    /** BPF_F_TEST_RUN_ON_CPU. */
    public static final int F_RUN_ON_CPU = 1 << 0;
    /** BPF_F_TEST_XDP_LIVE_FRAMES: XDP verdicts take effect (frames are really passed, sent, redirected). */
    public static final int F_XDP_LIVE_FRAMES = 1 << 1;
    /** BPF_F_TEST_SKB_CHECKSUM_COMPLETE. */
    public static final int F_SKB_CHECKSUM_COMPLETE = 1 << 2;

    /** Room past the input for programs that grow the packet (bpf_xdp_adjust_head/tail, skb pushes). */
    static final int OUTPUT_SLACK = 4096;

    public TestRun {
        dataIn = dataIn == null ? new byte[0] : dataIn.clone();
        ctxIn = ctxIn == null ? null : ctxIn.clone();
        if (dataOutCapacity < 0 || ctxOutCapacity < 0 || repeat < 0 || batchSize < 0) {
            throw new IllegalArgumentException("negative capacity, repeat or batch size");
        }
    }

    /** Runs once on {@code data}, with an output buffer that fits the data plus growth. */
    public static TestRun of(byte[] data) {
        return new TestRun(data, data.length + OUTPUT_SLACK, null, 0, 1, 0, 0, 0);
    }

    @Override
    public byte[] dataIn() {
        return dataIn.clone();
    }

    @Override
    public byte[] ctxIn() {
        return ctxIn == null ? null : ctxIn.clone();
    }

    public TestRun withRepeat(int times) {
        return new TestRun(dataIn, dataOutCapacity, ctxIn, ctxOutCapacity, times, flags, cpu, batchSize);
    }

    public TestRun withDataOutCapacity(int capacity) {
        return new TestRun(dataIn, capacity, ctxIn, ctxOutCapacity, repeat, flags, cpu, batchSize);
    }

    /** Passes ctx_in, and a ctx_out buffer of the same size. */
    public TestRun withCtx(byte[] ctx) {
        return new TestRun(dataIn, dataOutCapacity, ctx, ctx == null ? 0 : ctx.length, repeat, flags, cpu, batchSize);
    }

    public TestRun withFlags(int newFlags) {
        return new TestRun(dataIn, dataOutCapacity, ctxIn, ctxOutCapacity, repeat, newFlags, cpu, batchSize);
    }

    /**
     * BPF_F_TEST_XDP_LIVE_FRAMES: the kernel acts on the verdicts (XDP_PASS hands frames to the stack,
     * XDP_TX transmits them), and returns neither data nor context, so both output buffers go.
     */
    public TestRun withLiveFrames(int batch) {
        return new TestRun(dataIn, 0, ctxIn, 0, repeat, flags | F_XDP_LIVE_FRAMES, cpu, batch);
    }

    public TestRun onCpu(int cpuIndex) {
        return new TestRun(dataIn, dataOutCapacity, ctxIn, ctxOutCapacity, repeat, flags | F_RUN_ON_CPU, cpuIndex, batchSize);
    }
}
