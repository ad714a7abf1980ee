package dev.jxdp.exec;

import dev.jxdp.isa.JumpOp;

/**
 * Whether a conditional jump is taken (RFC 9669 4.3). JMP compares all 64 bits; a K operand reaches
 * here sign-extended from 32 bits, also for the unsigned conditions. JMP32 compares the low 32 bits
 * only, signed conditions as signed 32-bit numbers.
 */
public final class Conditions {
    private Conditions() {}

    public static boolean taken(JumpOp op, boolean jmp32, long dst, long src) {
        return jmp32 ? taken32(op, (int) dst, (int) src) : taken64(op, dst, src);
    }

    private static boolean taken64(JumpOp op, long d, long s) {
        return switch (op) {
            case JEQ -> d == s;
            case JNE -> d != s;
            case JSET -> (d & s) != 0;
            case JGT -> Long.compareUnsigned(d, s) > 0;
            case JGE -> Long.compareUnsigned(d, s) >= 0;
            case JLT -> Long.compareUnsigned(d, s) < 0;
            case JLE -> Long.compareUnsigned(d, s) <= 0;
            case JSGT -> d > s;
            case JSGE -> d >= s;
            case JSLT -> d < s;
            case JSLE -> d <= s;
        };
    }

    private static boolean taken32(JumpOp op, int d, int s) {
        return switch (op) {
            case JEQ -> d == s;
            case JNE -> d != s;
            case JSET -> (d & s) != 0;
            case JGT -> Integer.compareUnsigned(d, s) > 0;
            case JGE -> Integer.compareUnsigned(d, s) >= 0;
            case JLT -> Integer.compareUnsigned(d, s) < 0;
            case JLE -> Integer.compareUnsigned(d, s) <= 0;
            case JSGT -> d > s;
            case JSGE -> d >= s;
            case JSLT -> d < s;
            case JSLE -> d <= s;
        };
    }
}
