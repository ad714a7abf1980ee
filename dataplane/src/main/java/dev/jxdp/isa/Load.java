package dev.jxdp.isa;

/**
 * LDX|MEM, {@code dst = *(size *)(src + offset)} zero-extended, or LDX|MEMSX (cpu v4, {@code signed}),
 * sign-extended from 8, 16 or 32 bits.
 */
public record Load(Size size, boolean signed, int dst, int src, int offset) implements Instruction {
    public Load {
        Registers.check(dst);
        Registers.check(src);
        Instruction.checkOffset(offset);
        if (signed && size == Size.DW) {
            throw new IllegalArgumentException("no sign-extending 64-bit load");
        }
    }

    @Override
    public int opcode() {
        return OpClass.LDX | (signed ? OpClass.MODE_MEMSX : OpClass.MODE_MEM) | size.code;
    }

    @Override
    public long raw() {
        return Instruction.pack(opcode(), dst, src, offset, 0);
    }
}
