package dev.jxdp.kernel;

import dev.jxdp.isa.Bytecode;
import dev.jxdp.isa.PacketLoad;

/**
 * How a bare instruction body becomes a kernel program that BPF_PROG_TEST_RUN can run, and how the
 * run's output becomes the body's result. Test vectors describe a body as: "at start r1 = address of
 * mem, r2 = its length; result is r0 (64-bit); memory after the run is observable".
 */
public sealed interface Harness permits XdpSubprogramHarness, SkbInlineHarness {

    /** The program that wraps {@code body} for a memory of {@code memLength} bytes. */
    ProgLoadRequest program(Bytecode body, int memLength);

    /** Where the body's first instruction lands in {@link #program}, to read verifier logs by. */
    int bodyOffset();

    /** data_in for the run. */
    byte[] packet(byte[] mem);

    /** The body's r0 and memory from what the run reports. */
    KernelResult result(TestRunResult run, int memLength);

    /**
     * The harness a body needs: legacy LD_ABS/LD_IND loads exist only in socket filter and tc
     * programs and cannot be mixed with bpf-to-bpf calls, so such bodies run inline in a tc program;
     * every other body runs as an XDP subprogram, which gives r0 all 64 bits.
     */
    static Harness forBody(Bytecode body) {
        boolean legacy = body.instructions().stream().anyMatch(i -> i instanceof PacketLoad);
        return legacy ? SkbInlineHarness.INSTANCE : XdpSubprogramHarness.INSTANCE;
    }
}
