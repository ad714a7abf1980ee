package dev.jxdp.verifier;

/**
 * Widening of imprecise scalars across callback iterations (the kernel's widen_imprecise_scalars, done
 * in prepare_func_exit when a bpf_loop or bpf_for_each_map_elem callback returns to its helper call).
 *
 * <p>A callback that counts in its context ({@code ctx->n++}) comes back to the call with a new
 * constant each time, so its states never fall within those of earlier iterations and the helper would
 * be explored up to its loop bound (or, for 1 << 23 iterations, beyond the verifier's limits). When it
 * returns, every scalar that no path has relied on so far (imprecise in the state of the previous
 * iteration at the same call) and that differs from that state becomes unknown; the next iteration then
 * comes back within this one, and the loop converges. A scalar a path did rely on (an index, a loop
 * bound, a value a branch depended on) is precise and keeps its value, so iterations that are unsafe only
 * for some value of it are still explored one by one.
 *
 * <p>Widening only forgets: the widened state allows every value the exact one did, so whatever is
 * proven from it holds for the exact one too. The risk is the opposite one, a refusal, which the kernel
 * takes as well.
 */
final class Widening {
    private Widening() {}

    /**
     * Called with the state just back at the helper's call {@code callsite} from its callback: widens it
     * against the newest checkpoint of an earlier iteration at that call, if there is one.
     */
    static void afterCallback(Checker c, State cur, int callsite) {
        if (!c.privileged()) {
            return; // unprivileged: every scalar is precise, nothing is widened (as in the kernel)
        }
        State prev = c.pruner.previousIteration(cur, callsite);
        if (prev != null) {
            widen(prev, cur);
        }
    }

    /** widen_imprecise_scalars: the registers and spilled scalars of every frame. */
    static void widen(State old, State cur) {
        Pruner.IdMap ids = new Pruner.IdMap();
        for (int f = old.curframe; f >= 0; f--) {
            Frame fo = old.frames[f];
            Frame fc = cur.frames[f];
            for (int r = 0; r < fo.regs.length; r++) {
                maybeWiden(fo.regs[r], fc.regs[r], ids);
            }
            // Only slots both states allocated: an earlier call of the same function may have used a
            // deeper stack than this one (the kernel's fix b0c8e6d3d866).
            int slots = Math.min(fo.stack.allocated, fc.stack.allocated) / 8;
            for (int s = 0; s < slots; s++) {
                if (!fo.stack.isSpilled(s) || !fc.stack.isSpilled(s) || fo.stack.spilled[s] == null || fc.stack.spilled[s] == null) {
                    continue;
                }
                maybeWiden(fo.stack.spilled[s], fc.stack.spilled[s], ids);
            }
        }
    }

    /** maybe_widen_reg. */
    private static void maybeWiden(Reg old, Reg cur, Pruner.IdMap ids) {
        if (old.type != RegType.SCALAR || cur.type != RegType.SCALAR) {
            return;
        }
        if (old.precise || cur.precise || Pruner.regsExact(old, cur, ids)) {
            return;
        }
        cur.markUnknown();
    }
}
