package dev.jxdp.isa;

/** ALU (32-bit, {@code alu64 == false}) or ALU64 arithmetic: {@code dst op= src}. */
public record Alu(boolean alu64, AluOp op, int dst, Operand src) implements Instruction {
    public Alu {
        Registers.check(dst);
        if (op == AluOp.NEG && !(src instanceof Operand.Imm(int v) && v == 0)) {
            throw new IllegalArgumentException("NEG takes no source operand");
        }
        if (op.isMovsx() && !(src instanceof Operand.Reg)) {
            throw new IllegalArgumentException("sign-extending move takes a register source");
        }
        if (op == AluOp.MOVSX32 && !alu64) {
            throw new IllegalArgumentException("32-bit sign-extending move exists only in ALU64");
        }
    }

    @Override
    public int opcode() {
        int source = src instanceof Operand.Reg ? OpClass.SRC_X : OpClass.SRC_K;
        return op.code | source | (alu64 ? OpClass.ALU64 : OpClass.ALU);
    }

    @Override
    public long raw() {
        return switch (src) {
            case Operand.Reg(int r) -> Instruction.pack(opcode(), dst, r, op.offset, 0);
            case Operand.Imm(int v) -> Instruction.pack(opcode(), dst, 0, op.offset, v);
        };
    }
}
