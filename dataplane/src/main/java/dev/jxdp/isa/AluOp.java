package dev.jxdp.isa;

/**
 * Arithmetic operations of the ALU and ALU64 classes (RFC 9669 4.1). Signed division and modulo, and
 * the sign-extending moves, share their opcode with the plain operation and differ in the offset
 * field: {@code offset} is that field's value.
 */
public enum AluOp {
    ADD(0x00, 0, "+="),
    SUB(0x10, 0, "-="),
    MUL(0x20, 0, "*="),
    DIV(0x30, 0, "/="),
    SDIV(0x30, 1, "s/="),
    OR(0x40, 0, "|="),
    AND(0x50, 0, "&="),
    LSH(0x60, 0, "<<="),
    RSH(0x70, 0, ">>="),
    /** dst = -dst; the source must be K with imm 0. */
    NEG(0x80, 0, null),
    MOD(0x90, 0, "%="),
    SMOD(0x90, 1, "s%="),
    XOR(0xa0, 0, "^="),
    MOV(0xb0, 0, "="),
    /** Sign-extending moves (cpu v4): source register only. */
    MOVSX8(0xb0, 8, "="),
    MOVSX16(0xb0, 16, "="),
    MOVSX32(0xb0, 32, "="),
    ARSH(0xc0, 0, "s>>=");

    public final int code;
    public final int offset;
    /** The compound-assignment operator of the LLVM syntax ({@code r1 += r2}). */
    public final String operator;

    AluOp(int code, int offset, String operator) {
        this.code = code;
        this.offset = offset;
        this.operator = operator;
    }

    public boolean isMovsx() {
        return this == MOVSX8 || this == MOVSX16 || this == MOVSX32;
    }

    /** Bits of the source that a sign-extending move keeps (8, 16, 32), or 0 for other operations. */
    public int movsxBits() {
        return isMovsx() ? offset : 0;
    }

    /** The operation for an opcode's BPF_OP field and the offset field, or null if there is none. */
    static AluOp of(int code, int offset) {
        for (AluOp op : values()) {
            if (op.code == code && op.offset == offset) {
                return op;
            }
        }
        return null;
    }
}
