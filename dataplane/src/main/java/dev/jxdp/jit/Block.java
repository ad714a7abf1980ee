package dev.jxdp.jit;

/**
 * A basic block: the instructions at slots {@code pcs} (in order; a wide load's second slot is not
 * listed), covering slots {@code [start, end)}. Control enters only at {@code start}; only the last
 * instruction may branch. Blocks are also the unit of instruction counting (the rule is on {@link Jit}).
 */
record Block(int start, int end, int[] pcs) {

    int count() {
        return pcs.length;
    }

    int lastPc() {
        return pcs[pcs.length - 1];
    }
}
