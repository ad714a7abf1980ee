package dev.jxdp.isa;

/** Second operand of ALU and conditional-jump instructions: a register (BPF_X) or the imm field (BPF_K). */
public sealed interface Operand {

    /** BPF_X: the src_reg field names the operand. */
    record Reg(int reg) implements Operand {
        public Reg {
            Registers.check(reg);
        }
    }

    /** BPF_K: the 32-bit imm field is the operand (sign-extended to 64 bits by 64-bit operations). */
    record Imm(int value) implements Operand {}

    static Operand reg(int r) {
        return new Reg(r);
    }

    static Operand imm(int v) {
        return new Imm(v);
    }
}
