package dev.jxdp.isa;

/** STX|MEM: {@code *(size *)(dst + offset) = src}. */
public record StoreReg(Size size, int dst, int src, int offset) implements Instruction {
    public StoreReg {
        Registers.check(dst);
        Registers.check(src);
        Instruction.checkOffset(offset);
    }

    @Override
    public int opcode() {
        return OpClass.STX | OpClass.MODE_MEM | size.code;
    }

    @Override
    public long raw() {
        return Instruction.pack(opcode(), dst, src, offset, 0);
    }
}
