package dev.jxdp.isa;

/**
 * Conditional jump: {@code if dst op src goto +offset}, comparing all 64 bits (JMP) or the low 32
 * (JMP32). The offset counts 8-byte slots from the slot after this one.
 */
public record Jump(boolean jmp32, JumpOp op, int dst, Operand src, int offset) implements Instruction {
    public Jump {
        Registers.check(dst);
        Instruction.checkOffset(offset);
    }

    @Override
    public int opcode() {
        int source = src instanceof Operand.Reg ? OpClass.SRC_X : OpClass.SRC_K;
        return op.code | source | (jmp32 ? OpClass.JMP32 : OpClass.JMP);
    }

    @Override
    public long raw() {
        return switch (src) {
            case Operand.Reg(int r) -> Instruction.pack(opcode(), dst, r, offset, 0);
            case Operand.Imm(int v) -> Instruction.pack(opcode(), dst, 0, offset, v);
        };
    }
}
