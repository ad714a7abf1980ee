package dev.jxdp.kernel;

import static dev.jxdp.isa.Registers.R0;
import static dev.jxdp.isa.Registers.R1;
import static dev.jxdp.isa.Registers.R2;
import static dev.jxdp.isa.Registers.R7;
import static dev.jxdp.isa.Registers.R8;

import dev.jxdp.isa.Alu;
import dev.jxdp.isa.AluOp;
import dev.jxdp.isa.Bytecode;
import dev.jxdp.isa.Call;
import dev.jxdp.isa.Exit;
import dev.jxdp.isa.Instruction;
import dev.jxdp.isa.Jump;
import dev.jxdp.isa.JumpOp;
import dev.jxdp.isa.Load;
import dev.jxdp.isa.Operand;
import dev.jxdp.isa.Size;
import dev.jxdp.isa.StoreReg;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Runs a body as a bpf-to-bpf subprogram of an XDP program whose packet is 8 bytes for r0 followed by
 * mem. The main program proves to the verifier that the packet holds 8 + len bytes, calls the body
 * with r1 = data + 8 and r2 = len, so the body may touch exactly mem, and stores all 64 bits of the
 * returned r0 in the first 8 bytes, which come back in data_out:
 *
 * <pre>
 *  0: r7 = *(u32 *)(r1 + 0x0)    ; xdp_md->data; r7 is callee-saved, so it survives the call
 *  1: r8 = *(u32 *)(r1 + 0x4)    ; xdp_md->data_end
 *  2: r2 = r7
 *  3: r2 += 8 + len
 *  4: if r2 > r8 goto +7         ; the range check that lets the verifier allow data[0, 8 + len)
 *  5: r1 = r7
 *  6: r1 += 0x8                  ; r1 = mem, a packet pointer with the range above
 *  7: r2 = len
 *  8: call +5                    ; BPF_PSEUDO_CALL to the body at insn 14
 *  9: *(u64 *)(r7 + 0x0) = r0
 * 10: r0 = 0x2                   ; XDP_PASS: the body ran
 * 11: exit
 * 12: r0 = 0x0                   ; XDP_ABORTED: the packet was shorter than expected
 * 13: exit
 * 14: body ...
 * </pre>
 *
 * The context is not kept: nothing after the call needs it. The body's own jumps, calls and function
 * references are relative to themselves, so appending it keeps them valid. The padding that XDP's minimum frame size (ETH_HLEN, 14 bytes) may add after mem
 * is not part of len, so the body can neither see nor touch it.
 */
public final class XdpSubprogramHarness implements Harness {
    public static final XdpSubprogramHarness INSTANCE = new XdpSubprogramHarness();

    /** Bytes before mem in the packet: the slot r0 is stored in. */
    static final int R0_SLOT = 8;
    /** ETH_HLEN: BPF_PROG_TEST_RUN refuses smaller XDP and skb packets. */
    static final int MIN_PACKET = 14;
    private static final int XDP_ABORTED = 0;
    private static final int XDP_PASS = 2;
    private static final int BODY_OFFSET = 14;

    private XdpSubprogramHarness() {}

    @Override
    public ProgLoadRequest program(Bytecode body, int memLength) {
        int check = 4;
        int call = 8;
        int abort = 12;
        List<Instruction> main = List.of(
                new Load(Size.W, false, R7, R1, 0),
                new Load(Size.W, false, R8, R1, 4),
                mov(R2, R7),
                new Alu(true, AluOp.ADD, R2, new Operand.Imm(R0_SLOT + memLength)),
                new Jump(false, JumpOp.JGT, R2, new Operand.Reg(R8), abort - (check + 1)),
                mov(R1, R7),
                new Alu(true, AluOp.ADD, R1, new Operand.Imm(R0_SLOT)),
                new Alu(true, AluOp.MOV, R2, new Operand.Imm(memLength)),
                Call.local(BODY_OFFSET - (call + 1)),
                new StoreReg(Size.DW, R7, R0, 0),
                new Alu(true, AluOp.MOV, R0, new Operand.Imm(XDP_PASS)),
                new Exit(),
                new Alu(true, AluOp.MOV, R0, new Operand.Imm(XDP_ABORTED)),
                new Exit());
        if (main.size() != BODY_OFFSET) {
            throw new AssertionError("the harness's main part is " + main.size() + " instructions, not " + BODY_OFFSET);
        }
        List<Instruction> program = new ArrayList<>(main);
        program.addAll(body.instructions());
        return ProgLoadRequest.of(ProgType.XDP, Bytecode.of(program))
                .withName("jxdp_body")
                .withExpectedAttachType(AttachType.XDP);
    }

    @Override
    public int bodyOffset() {
        return BODY_OFFSET;
    }

    /** 8 zero bytes for r0, then mem, then zeros up to ETH_HLEN if the packet would be shorter. */
    @Override
    public byte[] packet(byte[] mem) {
        byte[] packet = new byte[Math.max(R0_SLOT + mem.length, MIN_PACKET)];
        System.arraycopy(mem, 0, packet, R0_SLOT, mem.length);
        return packet;
    }

    @Override
    public KernelResult result(TestRunResult run, int memLength) {
        if (run.retval() != XDP_PASS) {
            // BPF_PROG_TEST_RUN keeps only a page less XDP headroom and skb_shared_info of the packet
            // linear (3520 bytes on x86_64, so mem up to 3512); the rest goes to fragments the body cannot reach.
            throw new IllegalStateException("the XDP harness returned " + run.retval() + " instead of XDP_PASS:"
                    + " the kernel gave it fewer than 8 + " + memLength + " linear packet bytes; mem is limited to"
                    + " about 3.5 KiB");
        }
        byte[] out = run.dataOut();
        // The store wrote r0 in host byte order, which is little-endian on the x86_64 hosts Platform allows.
        long r0 = ByteBuffer.wrap(out, 0, R0_SLOT).order(ByteOrder.LITTLE_ENDIAN).getLong();
        return new KernelResult(r0, 64, Arrays.copyOfRange(out, R0_SLOT, R0_SLOT + memLength));
    }

    private static Alu mov(int dst, int src) {
        return new Alu(true, AluOp.MOV, dst, new Operand.Reg(src));
    }
}
