package dev.jxdp.kernel;

import dev.jxdp.isa.Bytecode;

/**
 * Runs a bare instruction body in the kernel the way jxdp's test vectors describe it: at start r1 is
 * the address of mem and r2 its length; the result is r0 and mem after the run. Each call loads a
 * fresh program, runs it once with BPF_PROG_TEST_RUN and closes it.
 */
public final class KernelRunner {
    private KernelRunner() {}

    /** Runs {@code body} in the harness it needs ({@link Harness#forBody}). */
    public static KernelResult run(Bytecode body, byte[] mem) {
        return run(Harness.forBody(body), body, mem);
    }

    /** Runs {@code body} as an XDP subprogram: r1 = mem, r2 = len, all 64 bits of r0 returned. */
    public static KernelResult runBody(Bytecode body, byte[] mem) {
        return run(XdpSubprogramHarness.INSTANCE, body, mem);
    }

    /**
     * Runs a body that uses LD_ABS/LD_IND inline in a tc program whose packet is {@code packet} (at
     * least 14 bytes), r6 = the skb. Only the low 32 bits of r0 come back.
     */
    public static KernelResult runLegacyPacketBody(Bytecode body, byte[] packet) {
        return run(SkbInlineHarness.INSTANCE, body, packet);
    }

    /**
     * Runs {@code body} in {@code harness}. A program the kernel refuses throws
     * {@link ProgLoadException}, whose message starts with the verifier's reason and says where the
     * body starts in the wrapped program, since the log counts instructions from the wrapper's start.
     */
    public static KernelResult run(Harness harness, Bytecode body, byte[] mem) {
        ProgLoadRequest request = harness.program(body, mem.length);
        BpfProgram program;
        try {
            program = Bpf.loadProgram(request);
        } catch (ProgLoadException e) {
            throw e.withNote("the body starts at insn " + harness.bodyOffset() + " of the wrapped program");
        }
        try (program) {
            return harness.result(program.testRun(TestRun.of(harness.packet(mem))), mem.length);
        }
    }
}
