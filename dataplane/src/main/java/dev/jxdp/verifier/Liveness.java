package dev.jxdp.verifier;

import dev.jxdp.helpers.HelperProtos;
import dev.jxdp.isa.Alu;
import dev.jxdp.isa.AluOp;
import dev.jxdp.isa.Atomic;
import dev.jxdp.isa.AtomicOp;
import dev.jxdp.isa.ByteSwap;
import dev.jxdp.isa.Bytecode;
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
 * Which registers each instruction may still read before writing them (live on entry), computed once
 * over the code as Linux 6.18 does (compute_live_registers). State pruning compares only live
 * registers: a register no later instruction reads cannot make an explored state unsafe.
 */
final class Liveness {
    /** Per slot, a bit per register r0-r10 live on entry. */
    final short[] liveIn;

    private Liveness(short[] liveIn) {
        this.liveIn = liveIn;
    }

    boolean live(int pc, int reg) {
        return (liveIn[pc] >> reg & 1) != 0;
    }

    static Liveness compute(Bytecode code) {
        int len = code.length();
        short[] use = new short[len];
        short[] def = new short[len];
        for (int pc = 0; pc < len; pc++) {
            Instruction insn = code.at(pc);
            if (insn != null) {
                useDef(insn, pc, use, def);
            }
        }
        short[] in = new short[len];
        boolean changed = true;
        while (changed) {
            changed = false;
            for (int pc = len - 1; pc >= 0; pc--) {
                Instruction insn = code.at(pc);
                if (insn == null) {
                    continue;
                }
                int out = 0;
                for (int s : successors(insn, pc, len)) {
                    out |= in[s];
                }
                short n = (short) (use[pc] | (out & ~def[pc]));
                if (n != in[pc]) {
                    in[pc] = n;
                    changed = true;
                }
            }
        }
        return new Liveness(in);
    }

    private static int[] successors(Instruction insn, int pc, int len) {
        int next = pc + insn.slots();
        int[] r = switch (insn) {
            case Exit e -> new int[0];
            case Goto g -> new int[] {(int) Bytecode.targetOf(g, pc)};
            case Jump j -> new int[] {next, (int) Bytecode.targetOf(j, pc)};
            default -> new int[] {next};
        };
        for (int s : r) {
            if (s < 0 || s >= len) {
                return new int[0];
            }
        }
        return r;
    }

    private static int bit(int r) {
        return 1 << r;
    }

    private static final int ARGS = bit(1) | bit(2) | bit(3) | bit(4) | bit(5);
    private static final int CALLER_SAVED = bit(0) | ARGS;

    private static void useDef(Instruction insn, int pc, short[] use, short[] def) {
        int u = 0;
        int d = 0;
        switch (insn) {
            case Alu a -> {
                if (a.op() != AluOp.MOV && !a.op().isMovsx()) {
                    u |= bit(a.dst());
                }
                if (a.src() instanceof Operand.Reg(int r)) {
                    u |= bit(r);
                }
                d |= bit(a.dst());
            }
            case ByteSwap b -> {
                u |= bit(b.dst());
                d |= bit(b.dst());
            }
            case Load l -> {
                u |= bit(l.src());
                d |= bit(l.dst());
            }
            case Store s -> u |= bit(s.dst());
            case StoreReg s -> u |= bit(s.dst()) | bit(s.src());
            case Atomic a -> {
                u |= bit(a.dst()) | bit(a.src());
                if (a.op() == AtomicOp.CMPXCHG) {
                    u |= bit(0);
                    d |= bit(0);
                } else if (a.fetch()) {
                    d |= bit(a.src());
                }
            }
            case LoadImm64 l -> d |= bit(l.dst());
            case PacketLoad p -> {
                u |= bit(6);
                if (p.indirect()) {
                    u |= bit(p.src());
                }
                d |= CALLER_SAVED;
            }
            case Jump j -> {
                u |= bit(j.dst());
                if (j.src() instanceof Operand.Reg(int r)) {
                    u |= bit(r);
                }
            }
            case Goto g -> {}
            case Exit e -> u |= bit(0);
            case Call c -> {
                if (c.kind() == CallKind.HELPER) {
                    int n = HelperProtos.of(c.imm()).map(p -> p.args().size()).orElse(5);
                    for (int r = 1; r <= n; r++) {
                        u |= bit(r);
                    }
                } else {
                    u |= ARGS;
                }
                d |= CALLER_SAVED;
            }
            case CallReg c -> {
                u |= bit(c.reg()) | ARGS;
                d |= CALLER_SAVED;
            }
        }
        use[pc] = (short) u;
        def[pc] = (short) d;
    }
}
