package dev.jxdp.jit;

import dev.jxdp.isa.Alu;
import dev.jxdp.isa.AluOp;
import dev.jxdp.isa.Atomic;
import dev.jxdp.isa.AtomicOp;
import dev.jxdp.isa.ByteSwap;
import dev.jxdp.isa.Call;
import dev.jxdp.isa.CallKind;
import dev.jxdp.isa.CallReg;
import dev.jxdp.isa.Exit;
import dev.jxdp.isa.Goto;
import dev.jxdp.isa.Instruction;
import dev.jxdp.isa.Jump;
import dev.jxdp.isa.Load;
import dev.jxdp.isa.LoadImm64;
import dev.jxdp.isa.Operand;
import dev.jxdp.isa.PacketLoad;
import dev.jxdp.isa.Store;
import dev.jxdp.isa.StoreReg;

/**
 * Which of r0-r9 an instruction reads and writes, as bit masks (bit i = ri). r10 is not tracked: it
 * is the frame pointer, fixed per frame. What bpf-to-bpf calls and exits read depends on other
 * functions; {@link Liveness} adds that.
 */
final class Effects {
    static final int R1_R5 = 0b11_1110;
    static final int R0_R5 = 0b11_1111;
    static final int ALL = 0x3ff;

    private Effects() {}

    static int bit(int reg) {
        return reg == 10 ? 0 : 1 << reg;
    }

    private static int bit(Operand op) {
        return op instanceof Operand.Reg(int r) ? bit(r) : 0;
    }

    /** Registers read, leaving out what a local call's callee or an exit's caller needs. */
    static int uses(Instruction insn) {
        return switch (insn) {
            case Alu a when a.op() == AluOp.MOV || a.op().isMovsx() -> bit(a.src());
            case Alu a -> bit(a.dst()) | bit(a.src());
            case ByteSwap b -> bit(b.dst());
            case Jump j -> bit(j.dst()) | bit(j.src());
            case Goto g -> 0;
            case Call c -> c.kind() == CallKind.HELPER ? R1_R5 : 0;
            case CallReg c -> bit(c.reg());
            case Exit e -> 1;
            case LoadImm64 l -> 0;
            case Load l -> bit(l.src());
            case Store s -> bit(s.dst());
            case StoreReg s -> bit(s.dst()) | bit(s.src());
            case Atomic a -> bit(a.dst()) | bit(a.src()) | (a.op() == AtomicOp.CMPXCHG ? 1 : 0);
            case PacketLoad p -> p.indirect() ? bit(p.src()) : 0;
        };
    }

    /**
     * Registers written. A bpf-to-bpf call writes r0 and also r1-r5: the caller sees what the callee
     * left there (the interpreter keeps one register file and saves only r6-r9 and r10).
     */
    static int defs(Instruction insn) {
        return switch (insn) {
            case Alu a -> bit(a.dst());
            case ByteSwap b -> bit(b.dst());
            case Call c -> c.kind() == CallKind.HELPER ? 1 : R0_R5;
            case CallReg c -> R0_R5;
            case LoadImm64 l -> bit(l.dst());
            case Load l -> bit(l.dst());
            case Atomic a when a.op() == AtomicOp.CMPXCHG -> 1;
            case Atomic a when a.fetch() -> bit(a.src());
            case PacketLoad p -> 1;
            default -> 0;
        };
    }

    static boolean isLocalCall(Instruction insn) {
        return insn instanceof Call c && c.kind() == CallKind.LOCAL || insn instanceof CallReg;
    }
}
