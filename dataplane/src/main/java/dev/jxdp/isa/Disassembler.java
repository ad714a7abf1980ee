package dev.jxdp.isa;

import java.util.function.LongFunction;

/**
 * Instructions to the LLVM/kernel assembly syntax, exactly as {@code llvm-objdump -d --no-show-raw-insn}
 * prints them: {@code r0 = 0x2}, {@code *(u32 *)(r10 - 0x4) = r1}, {@code if r2 == 0x86dd goto +0x1},
 * {@code lock *(u64 *)(r0 + 0x0) += r1}, {@code r1 = 0x0 ll}.
 *
 * <p>Where LLVM's text drops a field the instruction carries, jxdp prints it, so that the text
 * assembles back to the same bytes: a bpf-to-bpf call prints as {@code call pc-0x1} (LLVM: {@code call
 * -0x1}, the same as a helper call), a kfunc call as {@code call kfunc 0x3}, the second imm of a pseudo
 * 64-bit load as a fourth operand of {@code ld_pseudo} when it is not zero, and the imm of an indirect
 * packet load as {@code skb[r3 + 0x6]}.
 *
 * <p>llvm-objdump's default CPU prints narrow loads and stores with 64-bit register names and cannot
 * decode 32-bit atomics other than the v1 {@code lock *(u32 *)(r1 + 0x0) += r2}; with {@code --mcpu=v3}
 * or later it prints them with 32-bit names ({@code w1 = *(u8 *)(r2 + 0x0)}, {@code += w2}).
 * {@link Syntax} selects which of the two to match; the 32-bit atomics that the default CPU cannot
 * decode are printed in the v3 form.
 */
public final class Disassembler {

    /** Register naming of 8-, 16- and 32-bit loads and stores. */
    public enum Syntax {
        /** As llvm-objdump with its default CPU: {@code r1 = *(u8 *)(r2 + 0x0)}. */
        DEFAULT,
        /** As llvm-objdump with {@code --mcpu=v3} or {@code v4}: {@code w1 = *(u8 *)(r2 + 0x0)}. */
        ALU32
    }

    private final Syntax syntax;
    private final LongFunction<String> targetLabel;

    /**
     * @param targetLabel given the absolute slot a jump lands on, the annotation to print after it
     *     (llvm-objdump prints {@code <func+0x28>}), or null for none
     */
    public Disassembler(Syntax syntax, LongFunction<String> targetLabel) {
        this.syntax = syntax;
        this.targetLabel = targetLabel;
    }

    public Disassembler() {
        this(Syntax.DEFAULT, null);
    }

    /** The text of one instruction that sits at slot {@code pc}. */
    public String format(Instruction insn, int pc) {
        return switch (insn) {
            case Alu a -> alu(a);
            case ByteSwap b -> reg64(b.dst()) + " = " + swapName(b) + b.bits() + " " + reg64(b.dst());
            case Jump j -> "if " + reg(j.jmp32(), j.dst()) + " " + j.op().operator + " "
                    + operand(j.jmp32(), j.src()) + " goto " + signedHex(j.offset()) + annotation(insn, pc);
            case Goto g -> (g.wide() ? "gotol " : "goto ") + signedHex(g.offset()) + annotation(insn, pc);
            case Call c -> switch (c.kind()) {
                case HELPER -> "call " + signedHex(c.imm()).replace("+", "");
                case LOCAL -> "call pc" + signedHex(c.imm());
                case KFUNC -> "call kfunc " + hex(c.imm() & 0xffffffffL);
            };
            case CallReg c -> "callx " + reg64(c.reg());
            case Exit e -> "exit";
            case LoadImm64 l -> l.source() == PseudoSource.VALUE
                    ? reg64(l.dst()) + " = " + signedHex(l.value()).replace("+", "") + " ll"
                    : "ld_pseudo\t" + reg64(l.dst()) + ", " + hex(l.source().code) + ", " + hex(l.imm() & 0xffffffffL)
                            + (l.nextImm() == 0 ? "" : ", " + hex(l.nextImm() & 0xffffffffL));
            case Load l -> (l.signed() ? reg64(l.dst()) : narrowReg(l.size(), l.dst())) + " = *("
                    + (l.signed() ? l.size().signedName() : l.size().unsignedName) + " *)" + address(l.src(), l.offset());
            case Store s -> "*(" + s.size().unsignedName + " *)" + address(s.dst(), s.offset()) + " = "
                    + signedHex(s.imm()).replace("+", "");
            case StoreReg s -> "*(" + s.size().unsignedName + " *)" + address(s.dst(), s.offset()) + " = "
                    + narrowReg(s.size(), s.src());
            case Atomic a -> atomic(a);
            case PacketLoad p -> "r0 = *(" + p.size().unsignedName + " *)skb["
                    + (p.indirect() ? reg64(p.src()) + (p.imm() == 0 ? "" : " " + offsetText(p.imm()))
                                    : signedHex(p.imm()).replace("+", ""))
                    + "]";
        };
    }

    private String alu(Alu a) {
        boolean w = !a.alu64();
        String dst = reg(w, a.dst());
        if (a.op() == AluOp.NEG) {
            return dst + " = -" + dst;
        }
        if (a.op().isMovsx()) {
            return dst + " = (s" + a.op().movsxBits() + ")" + operand(w, a.src());
        }
        return dst + " " + a.op().operator + " " + operand(w, a.src());
    }

    private static String swapName(ByteSwap b) {
        return switch (b.order()) {
            case TO_LE -> "le";
            case TO_BE -> "be";
            case SWAP -> "bswap";
        };
    }

    private String atomic(Atomic a) {
        boolean w = a.size() == Size.W;
        String type = a.size().unsignedName;
        // The one 32-bit atomic of cpu v1 (XADDW) names its source with r under the default syntax.
        boolean legacyAdd = w && a.op() == AtomicOp.ADD && !a.fetch() && syntax == Syntax.DEFAULT;
        String src = reg(w && !legacyAdd, a.src());
        String ptr = reg64(a.dst()) + " " + offsetText(a.offset());
        return switch (a.op()) {
            case XCHG -> src + " = " + (w ? "xchg32_32(" : "xchg_64(") + ptr + ", " + src + ")";
            case CMPXCHG -> reg(w, 0) + " = " + (w ? "cmpxchg32_32(" : "cmpxchg_64(") + ptr + ", "
                    + reg(w, 0) + ", " + src + ")";
            default -> a.fetch()
                    ? src + " = atomic_fetch_" + a.op().fetchName + "((" + type + " *)(" + ptr + "), " + src + ")"
                    : "lock *(" + type + " *)(" + ptr + ") " + a.op().operator + " " + src;
        };
    }

    private String narrowReg(Size size, int reg) {
        return syntax == Syntax.ALU32 && size != Size.DW ? "w" + reg : "r" + reg;
    }

    private String annotation(Instruction insn, int pc) {
        if (targetLabel == null) {
            return "";
        }
        String label = targetLabel.apply(Bytecode.targetOf(insn, pc));
        return label == null ? "" : " " + label;
    }

    private static String operand(boolean w, Operand op) {
        return switch (op) {
            case Operand.Reg(int r) -> reg(w, r);
            case Operand.Imm(int v) -> signedHex(v).replace("+", "");
        };
    }

    private static String address(int reg, int offset) {
        return "(" + reg64(reg) + " " + offsetText(offset) + ")";
    }

    /** {@code + 0x8} or {@code - 0x8}, as between a base register and its offset. */
    private static String offsetText(long offset) {
        return offset < 0 ? "- " + hex(-offset) : "+ " + hex(offset);
    }

    static String reg(boolean w, int r) {
        return (w ? "w" : "r") + r;
    }

    private static String reg64(int r) {
        return "r" + r;
    }

    /** {@code +0x5} or {@code -0x5}; callers strip the plus sign where LLVM prints none. */
    static String signedHex(long v) {
        return v < 0 ? "-" + hex(-v) : "+" + hex(v);
    }

    /** Lowercase hex with a 0x prefix; Long.MIN_VALUE prints as 0x8000000000000000. */
    static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }
}
