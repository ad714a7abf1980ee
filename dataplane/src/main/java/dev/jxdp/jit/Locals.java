package dev.jxdp.jit;

/**
 * Where a generated method keeps things: the run ({@code rt}), r10 ({@code fp}), the register array
 * of a split function ({@code st}, -1 if none), r0-r9 as long locals, r0's written-flag, a scratch long.
 */
record Locals(int rt, int fp, int st, int[] regs, int w0, int tmp) {

    int reg(int r) {
        return regs[r];
    }

    /**
     * A function's own method: {@code (JitRun rt, long fp, long live-ins...)}. Live-in registers stay
     * in their parameter slots; the others follow.
     */
    static Locals forFunction(int liveIn) {
        int[] regs = new int[10];
        int next = 3;
        for (int r = 0; r < 10; r++) {
            if ((liveIn & 1 << r) != 0) {
                regs[r] = next;
                next += 2;
            }
        }
        for (int r = 0; r < 10; r++) {
            if ((liveIn & 1 << r) == 0) {
                regs[r] = next;
                next += 2;
            }
        }
        return new Locals(0, 1, -1, regs, next, next + 1);
    }

    /** A region method: {@code (JitRun rt, long[] st, long fp, int entry)}; the entry index is in slot 4. */
    static Locals forRegion() {
        int[] regs = new int[10];
        for (int r = 0; r < 10; r++) {
            regs[r] = 5 + 2 * r;
        }
        return new Locals(0, 2, 1, regs, 25, 26);
    }

    static final int REGION_ENTRY_SLOT = 4;
}
