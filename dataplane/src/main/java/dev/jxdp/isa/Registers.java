package dev.jxdp.isa;

/** The eleven registers r0..r10 (RFC 9669 2.1); r10 is the read-only frame pointer. */
public final class Registers {
    public static final int COUNT = 11;
    public static final int R0 = 0;
    public static final int R1 = 1;
    public static final int R2 = 2;
    public static final int R3 = 3;
    public static final int R4 = 4;
    public static final int R5 = 5;
    public static final int R6 = 6;
    public static final int R7 = 7;
    public static final int R8 = 8;
    public static final int R9 = 9;
    public static final int FP = 10;

    private Registers() {}

    static int check(int reg) {
        if (reg < 0 || reg >= COUNT) {
            throw new IllegalArgumentException("invalid register r" + reg);
        }
        return reg;
    }
}
