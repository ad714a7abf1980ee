package dev.jxdp.verifier;

import dev.jxdp.helpers.HelperIds;
import dev.jxdp.isa.Alu;
import dev.jxdp.isa.AluOp;
import dev.jxdp.isa.Atomic;
import dev.jxdp.isa.AtomicOp;
import dev.jxdp.isa.ByteSwap;
import dev.jxdp.isa.Call;
import dev.jxdp.isa.CallReg;
import dev.jxdp.isa.Exit;
import dev.jxdp.isa.Goto;
import dev.jxdp.isa.Instruction;
import dev.jxdp.isa.Jump;
import dev.jxdp.isa.Load;
import dev.jxdp.isa.LoadImm64;
import dev.jxdp.isa.Operand;
import dev.jxdp.isa.PacketLoad;
import dev.jxdp.isa.Size;
import dev.jxdp.isa.Store;
import dev.jxdp.isa.StoreReg;
import java.util.List;
import dev.jxdp.obj.MapSpec;

/**
 * Instructions as the kernel's verifier log prints them (kernel/bpf/disasm.c, print_bpf_insn):
 * {@code (61) r2 = *(u32 *)(r1 +0)}, {@code (a5) if r0 < 0xa goto pc-2}, {@code (85) call
 * bpf_map_lookup_elem#1}. Not llvm-objdump's syntax ({@link dev.jxdp.isa.Disassembler}): a log should
 * read like the kernel's.
 */
final class KernelInsnFormat {
    private KernelInsnFormat() {}

    static String format(Instruction insn, List<MapSpec> maps) {
        return String.format("(%02x) %s", insn.opcode(), body(insn, maps));
    }

    private static String reg(boolean wide, int r) {
        return (wide ? "r" : "w") + r;
    }

    private static String off(int off) {
        return off < 0 ? "-" + -off : "+" + off;
    }

    private static String opString(AluOp op) {
        return switch (op) {
            case ADD -> "+=";
            case SUB -> "-=";
            case MUL -> "*=";
            case DIV -> "/=";
            case SDIV -> "s/=";
            case OR -> "|=";
            case AND -> "&=";
            case LSH -> "<<=";
            case RSH -> ">>=";
            case NEG -> "neg";
            case MOD -> "%=";
            case SMOD -> "s%=";
            case XOR -> "^=";
            case MOV, MOVSX8, MOVSX16, MOVSX32 -> "=";
            case ARSH -> "s>>=";
        };
    }

    private static String body(Instruction insn, List<MapSpec> maps) {
        return switch (insn) {
            case Alu a when a.op() == AluOp.NEG -> reg(a.alu64(), a.dst()) + " = -" + reg(a.alu64(), a.dst());
            case Alu a when a.op().isMovsx() -> reg(a.alu64(), a.dst()) + " = (s" + a.op().movsxBits() + ")"
                    + reg(a.alu64(), ((Operand.Reg) a.src()).reg());
            case Alu a -> reg(a.alu64(), a.dst()) + " " + opString(a.op()) + " " + switch (a.src()) {
                case Operand.Reg(int r) -> reg(a.alu64(), r);
                case Operand.Imm(int v) -> Integer.toString(v);
            };
            case ByteSwap b -> "r" + b.dst() + " = " + switch (b.order()) {
                case TO_LE -> "le";
                case TO_BE -> "be";
                case SWAP -> "bswap";
            } + b.bits() + " r" + b.dst();
            case Load l -> "r" + l.dst() + " = *(" + (l.signed() ? l.size().signedName() : l.size().unsignedName) + " *)(r" + l.src()
                    + " " + off(l.offset()) + ")";
            case Store s -> "*(" + s.size().unsignedName + " *)(r" + s.dst() + " " + off(s.offset()) + ") = " + s.imm();
            case StoreReg s -> "*(" + s.size().unsignedName + " *)(r" + s.dst() + " " + off(s.offset()) + ") = r" + s.src();
            case Atomic a -> atomic(a);
            case LoadImm64 l -> switch (l.source()) {
                case VALUE -> "r" + l.dst() + " = 0x" + Long.toHexString(l.value());
                case MAP_FD, MAP_IDX -> "r" + l.dst() + " = map[id:" + mapName(maps, l.imm()) + "]";
                case MAP_VALUE, MAP_IDX_VALUE -> "r" + l.dst() + " = map[id:" + mapName(maps, l.imm()) + "][0]+" + l.nextImm();
                case FUNC -> "r" + l.dst() + " = func pc" + off(l.imm());
                case BTF_ID -> "r" + l.dst() + " = btf_id " + l.imm();
            };
            case PacketLoad p -> "r0 = *(" + p.size().unsignedName + " *)skb[" + (p.indirect() ? "r" + p.src() + " + " + p.imm() : p.imm()) + "]";
            case Jump j -> "if " + reg(!j.jmp32(), j.dst()) + " " + j.op().operator + " " + switch (j.src()) {
                case Operand.Reg(int r) -> reg(!j.jmp32(), r);
                case Operand.Imm(int v) -> "0x" + Integer.toHexString(v);
            } + " goto pc" + off(j.offset());
            case Goto g -> (g.wide() ? "gotol" : "goto") + " pc" + off(g.offset());
            case Call c -> switch (c.kind()) {
                case HELPER -> "call " + HelperIds.describe(c.imm());
                case LOCAL -> "call pc" + off(c.imm());
                case KFUNC -> "call kernel-function";
            };
            case CallReg c -> "callx r" + c.reg();
            case Exit e -> "exit";
        };
    }

    private static String mapName(List<MapSpec> maps, int index) {
        return index >= 0 && index < maps.size() ? maps.get(index).name() : Integer.toString(index);
    }

    private static String atomic(Atomic a) {
        boolean wide = a.size() == Size.DW;
        String ptr = "(" + a.size().unsignedName + " *)(r" + a.dst() + " " + off(a.offset()) + ")";
        String prefix = wide ? "atomic64_" : "atomic_";
        if (a.op() == AtomicOp.CMPXCHG) {
            return reg(wide, 0) + " = " + prefix + "cmpxchg(" + ptr + ", " + reg(wide, 0) + ", " + reg(wide, a.src()) + ")";
        }
        if (a.op() == AtomicOp.XCHG) {
            return reg(wide, a.src()) + " = " + prefix + "xchg(" + ptr + ", " + reg(wide, a.src()) + ")";
        }
        if (a.fetch()) {
            return reg(wide, a.src()) + " = " + prefix + "fetch_" + a.op().fetchName + "(" + ptr + ", " + reg(wide, a.src()) + ")";
        }
        return "lock *" + ptr + " " + a.op().operator + " " + reg(wide, a.src());
    }
}
