package dev.jxdp.isa;

/**
 * Unconditional jump. JMP|JA keeps a 16-bit offset in the offset field ({@code goto}); JMP32|JA
 * (cpu v4) keeps a 32-bit offset in imm ({@code gotol}).
 */
public record Goto(int offset, boolean wide) implements Instruction {
    public Goto {
        if (!wide) {
            Instruction.checkOffset(offset);
        }
    }

    public static Goto of(int offset) {
        return new Goto(offset, false);
    }

    @Override
    public int opcode() {
        return OpClass.JA | (wide ? OpClass.JMP32 : OpClass.JMP);
    }

    @Override
    public long raw() {
        return wide ? Instruction.pack(opcode(), 0, 0, 0, offset) : Instruction.pack(opcode(), 0, 0, offset, 0);
    }
}
