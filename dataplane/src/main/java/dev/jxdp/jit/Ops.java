package dev.jxdp.jit;

/**
 * Division and modulo with a register divisor (RFC 9669 4.1): the JVM traps on zero where eBPF
 * yields 0 (division) or keeps the dividend (modulo), so these few lines wrap the JVM operation;
 * C2 inlines them. Everything else the JVM already does the eBPF way: {@code MIN / -1} is MIN and
 * {@code MIN % -1} is 0 without a trap, division truncates toward zero, shifts mask their distance.
 * Constant divisors never come here: the code generator folds the zero case.
 */
final class Ops {
    private Ops() {}

    static long udiv64(long a, long b) {
        return b == 0 ? 0 : Long.divideUnsigned(a, b);
    }

    static long sdiv64(long a, long b) {
        return b == 0 ? 0 : a / b;
    }

    static long umod64(long a, long b) {
        return b == 0 ? a : Long.remainderUnsigned(a, b);
    }

    static long smod64(long a, long b) {
        return b == 0 ? a : a % b;
    }

    static int udiv32(int a, int b) {
        return b == 0 ? 0 : Integer.divideUnsigned(a, b);
    }

    static int sdiv32(int a, int b) {
        return b == 0 ? 0 : a / b;
    }

    static int umod32(int a, int b) {
        return b == 0 ? a : Integer.remainderUnsigned(a, b);
    }

    static int smod32(int a, int b) {
        return b == 0 ? a : a % b;
    }
}
