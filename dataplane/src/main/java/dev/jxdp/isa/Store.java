package dev.jxdp.isa;

/** ST|MEM: {@code *(size *)(dst + offset) = imm}, the immediate truncated to the access size. */
public record Store(Size size, int dst, int offset, int imm) implements Instruction {
    public Store {
        Registers.check(dst);
        Instruction.checkOffset(offset);
    }

    @Override
    public int opcode() {
        return OpClass.ST | OpClass.MODE_MEM | size.code;
    }

    @Override
    public long raw() {
        return Instruction.pack(opcode(), dst, 0, offset, imm);
    }
}
