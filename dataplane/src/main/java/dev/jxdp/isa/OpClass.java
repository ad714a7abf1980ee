package dev.jxdp.isa;

/** The eight instruction classes, the low three bits of the opcode (RFC 9669 3.1). */
public final class OpClass {
    public static final int LD = 0x00;
    public static final int LDX = 0x01;
    public static final int ST = 0x02;
    public static final int STX = 0x03;
    public static final int ALU = 0x04;
    public static final int JMP = 0x05;
    public static final int JMP32 = 0x06;
    public static final int ALU64 = 0x07;

    /** Source bit of ALU and JMP opcodes: K uses imm, X uses src_reg. */
    public static final int SRC_K = 0x00;
    public static final int SRC_X = 0x08;

    /** Mode field of load and store opcodes (RFC 9669 5). */
    public static final int MODE_IMM = 0x00;
    public static final int MODE_ABS = 0x20;
    public static final int MODE_IND = 0x40;
    public static final int MODE_MEM = 0x60;
    public static final int MODE_MEMSX = 0x80;
    public static final int MODE_ATOMIC = 0xc0;

    /** Operation field of JMP opcodes that are not conditions. */
    public static final int JA = 0x00;
    public static final int CALL = 0x80;
    public static final int EXIT = 0x90;
    /** ALU operation codes that are not {@link AluOp}s of the two-operand kind. */
    public static final int END = 0xd0;

    private OpClass() {}

    public static int of(int opcode) {
        return opcode & 0x07;
    }

    public static boolean isAlu(int cls) {
        return cls == ALU || cls == ALU64;
    }

    public static boolean isJump(int cls) {
        return cls == JMP || cls == JMP32;
    }
}
