package dev.jxdp.isa;

/** Conditions of the JMP and JMP32 classes (RFC 9669 4.3); JA, CALL and EXIT are instructions of their own. */
public enum JumpOp {
    JEQ(0x10, "==", false),
    JGT(0x20, ">", false),
    JGE(0x30, ">=", false),
    JSET(0x40, "&", false),
    JNE(0x50, "!=", false),
    JSGT(0x60, "s>", true),
    JSGE(0x70, "s>=", true),
    JLT(0xa0, "<", false),
    JLE(0xb0, "<=", false),
    JSLT(0xc0, "s<", true),
    JSLE(0xd0, "s<=", true);

    public final int code;
    public final String operator;
    public final boolean signed;

    JumpOp(int code, String operator, boolean signed) {
        this.code = code;
        this.operator = operator;
        this.signed = signed;
    }

    static JumpOp of(int code) {
        for (JumpOp op : values()) {
            if (op.code == code) {
                return op;
            }
        }
        return null;
    }

    public static JumpOp ofOperator(String operator) {
        for (JumpOp op : values()) {
            if (op.operator.equals(operator)) {
                return op;
            }
        }
        return null;
    }
}
