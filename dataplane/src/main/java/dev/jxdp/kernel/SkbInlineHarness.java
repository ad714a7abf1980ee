package dev.jxdp.kernel;

import dev.jxdp.isa.Alu;
import dev.jxdp.isa.AluOp;
import dev.jxdp.isa.Bytecode;
import dev.jxdp.isa.Instruction;
import dev.jxdp.isa.Operand;
import dev.jxdp.isa.Registers;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Runs a body that uses the legacy packet loads (LD_ABS, LD_IND) inline in a tc
 * (BPF_PROG_TYPE_SCHED_CLS) program whose packet is mem itself. Those loads read the skb held in r6,
 * so the program is {@code r6 = r1} followed by the body; r1 stays the skb context. They cannot be
 * combined with bpf-to-bpf calls, which is why the body is not a subprogram here, and why r0 comes
 * back only as BPF_PROG_TEST_RUN's 32-bit retval: {@link KernelResult#r0Bits()} is 32.
 *
 * <p>mem must hold at least ETH_HLEN (14) bytes, because the kernel builds an Ethernet frame from it
 * (tc programs see the frame from its first byte, so LD_ABS offset 0 is mem[0]).
 */
public final class SkbInlineHarness implements Harness {
    public static final SkbInlineHarness INSTANCE = new SkbInlineHarness();

    private SkbInlineHarness() {}

    @Override
    public ProgLoadRequest program(Bytecode body, int memLength) {
        if (memLength < XdpSubprogramHarness.MIN_PACKET) {
            throw new IllegalArgumentException("a legacy packet body needs at least " + XdpSubprogramHarness.MIN_PACKET
                    + " bytes of mem (ETH_HLEN), not " + memLength);
        }
        List<Instruction> program = new ArrayList<>();
        program.add(new Alu(true, AluOp.MOV, Registers.R6, new Operand.Reg(Registers.R1))); // r6 = r1
        program.addAll(body.instructions());
        return ProgLoadRequest.of(ProgType.SCHED_CLS, Bytecode.of(program)).withName("jxdp_skb_body");
    }

    @Override
    public int bodyOffset() {
        return 1;
    }

    @Override
    public byte[] packet(byte[] mem) {
        return mem.clone();
    }

    @Override
    public KernelResult result(TestRunResult run, int memLength) {
        byte[] out = run.dataOut();
        return new KernelResult(run.retval(), 32, Arrays.copyOf(out, Math.min(out.length, memLength)));
    }
}
