package dev.jxdp.isa;

/**
 * LD|IMM|DW, the two-slot 64-bit immediate load. {@code imm} is the first slot's imm and
 * {@code nextImm} the second's; how they are read depends on {@code source}.
 */
public record LoadImm64(int dst, PseudoSource source, int imm, int nextImm) implements Instruction {
    public static final int OPCODE = OpClass.LD | OpClass.MODE_IMM | 0x18;

    public LoadImm64 {
        Registers.check(dst);
    }

    public static LoadImm64 of(int dst, long value) {
        return new LoadImm64(dst, PseudoSource.VALUE, (int) value, (int) (value >>> 32));
    }

    /** The 64-bit constant of a plain load: {@code (nextImm << 32) | (imm as u32)}. */
    public long value() {
        return (long) nextImm << 32 | (imm & 0xffffffffL);
    }

    @Override
    public int opcode() {
        return OPCODE;
    }

    @Override
    public int slots() {
        return 2;
    }

    @Override
    public long raw() {
        return Instruction.pack(OPCODE, dst, source.code, 0, imm);
    }

    /** The second slot: opcode, registers and offset zero, imm = nextImm. */
    public long rawSecond() {
        return Instruction.pack(0, 0, 0, 0, nextImm);
    }
}
