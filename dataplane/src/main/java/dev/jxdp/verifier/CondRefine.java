package dev.jxdp.verifier;

import dev.jxdp.isa.JumpOp;

/**
 * What a comparison of two scalars teaches about them on each side of the branch (the kernel's
 * reg_set_min_max and regs_refine_cond_op).
 */
final class CondRefine {
    private CondRefine() {}

    /** JSET's negation, "neither bit set": the kernel's BPF_JSET | BPF_X trick. */
    private static final int JSET_NOT = -1;

    /** The condition on the other side of the branch. */
    private static JumpOp reverse(JumpOp op) {
        return switch (op) {
            case JEQ -> JumpOp.JNE;
            case JNE -> JumpOp.JEQ;
            case JGT -> JumpOp.JLE;
            case JLE -> JumpOp.JGT;
            case JGE -> JumpOp.JLT;
            case JLT -> JumpOp.JGE;
            case JSGT -> JumpOp.JSLE;
            case JSLE -> JumpOp.JSGT;
            case JSGE -> JumpOp.JSLT;
            case JSLT -> JumpOp.JSGE;
            case JSET -> null;
        };
    }

    /**
     * Narrows the registers of both branches: {@code t1, t2} hold on the jump-taken side, {@code f1,
     * f2} on the fall-through side. Returns false if a side is impossible (its bounds became empty).
     */
    static void setMinMax(Reg t1, Reg t2, Reg f1, Reg f2, JumpOp op, boolean jmp32) {
        if (f1.type != RegType.SCALAR || f2.type != RegType.SCALAR) {
            return;
        }
        JumpOp rev = reverse(op);
        refine(f1, f2, rev, rev == null, jmp32);
        Bounds.sync(f1);
        Bounds.sync(f2);
        refine(t1, t2, op, false, jmp32);
        Bounds.sync(t1);
        Bounds.sync(t2);
    }

    private static boolean isPow2(long v) {
        return v != 0 && (v & (v - 1)) == 0;
    }

    private static void refine(Reg r1, Reg r2, JumpOp op, boolean jsetNot, boolean jmp32) {
        if (jsetNot) {
            if (!BranchTaken.isConst(r2, jmp32)) {
                Reg t = r1;
                r1 = r2;
                r2 = t;
            }
            if (!BranchTaken.isConst(r2, jmp32)) {
                return;
            }
            long val = BranchTaken.constValue(r2, jmp32);
            Bounds.markUnbounded(r1);
            if (jmp32) {
                r1.var = withSubreg(r1.var, r1.var.subreg().and(Tnum.constant(~val)));
            } else {
                r1.var = r1.var.and(Tnum.constant(~val));
            }
            return;
        }
        switch (op) {
            case JGE, JGT, JSGE, JSGT -> {
                op = BranchTaken.flip(op);
                Reg t = r1;
                r1 = r2;
                r2 = t;
            }
            default -> {}
        }
        switch (op) {
            case JEQ -> {
                if (jmp32) {
                    r1.u32min = Bounds.umax32(r1.u32min, r2.u32min);
                    r1.u32max = Bounds.umin32(r1.u32max, r2.u32max);
                    r1.s32min = Math.max(r1.s32min, r2.s32min);
                    r1.s32max = Math.min(r1.s32max, r2.s32max);
                    r2.u32min = r1.u32min;
                    r2.u32max = r1.u32max;
                    r2.s32min = r1.s32min;
                    r2.s32max = r1.s32max;
                    Tnum t = r1.var.subreg().intersect(r2.var.subreg());
                    r1.var = withSubreg(r1.var, t);
                    r2.var = withSubreg(r2.var, t);
                } else {
                    r1.umin = Bounds.umaxOf(r1.umin, r2.umin);
                    r1.umax = Bounds.uminOf(r1.umax, r2.umax);
                    r1.smin = Math.max(r1.smin, r2.smin);
                    r1.smax = Math.min(r1.smax, r2.smax);
                    r2.umin = r1.umin;
                    r2.umax = r1.umax;
                    r2.smin = r1.smin;
                    r2.smax = r1.smax;
                    r1.var = r1.var.intersect(r2.var);
                    r2.var = r1.var;
                }
            }
            case JNE -> {
                if (!BranchTaken.isConst(r2, jmp32)) {
                    Reg t = r1;
                    r1 = r2;
                    r2 = t;
                }
                if (!BranchTaken.isConst(r2, jmp32)) {
                    return;
                }
                long val = BranchTaken.constValue(r2, jmp32);
                if (jmp32) {
                    if (r1.u32min == (int) val) {
                        r1.u32min++;
                    }
                    if (r1.u32max == (int) val) {
                        r1.u32max--;
                    }
                    if (r1.s32min == (int) val) {
                        r1.s32min++;
                    }
                    if (r1.s32max == (int) val) {
                        r1.s32max--;
                    }
                } else {
                    if (r1.umin == val) {
                        r1.umin++;
                    }
                    if (r1.umax == val) {
                        r1.umax--;
                    }
                    if (r1.smin == val) {
                        r1.smin++;
                    }
                    if (r1.smax == val) {
                        r1.smax--;
                    }
                }
            }
            case JSET -> {
                if (!BranchTaken.isConst(r2, jmp32)) {
                    Reg t = r1;
                    r1 = r2;
                    r2 = t;
                }
                if (!BranchTaken.isConst(r2, jmp32)) {
                    return;
                }
                long val = BranchTaken.constValue(r2, jmp32);
                if (!isPow2(val)) {
                    return;
                }
                if (jmp32) {
                    r1.var = withSubreg(r1.var, r1.var.subreg().or(Tnum.constant(val)));
                } else {
                    r1.var = r1.var.or(Tnum.constant(val));
                }
            }
            case JLE -> {
                if (jmp32) {
                    r1.u32max = Bounds.umin32(r1.u32max, r2.u32max);
                    r2.u32min = Bounds.umax32(r1.u32min, r2.u32min);
                } else {
                    r1.umax = Bounds.uminOf(r1.umax, r2.umax);
                    r2.umin = Bounds.umaxOf(r1.umin, r2.umin);
                }
            }
            case JLT -> {
                if (jmp32) {
                    r1.u32max = Bounds.umin32(r1.u32max, r2.u32max - 1);
                    r2.u32min = Bounds.umax32(r1.u32min + 1, r2.u32min);
                } else {
                    r1.umax = Bounds.uminOf(r1.umax, r2.umax - 1);
                    r2.umin = Bounds.umaxOf(r1.umin + 1, r2.umin);
                }
            }
            case JSLE -> {
                if (jmp32) {
                    r1.s32max = Math.min(r1.s32max, r2.s32max);
                    r2.s32min = Math.max(r1.s32min, r2.s32min);
                } else {
                    r1.smax = Math.min(r1.smax, r2.smax);
                    r2.smin = Math.max(r1.smin, r2.smin);
                }
            }
            case JSLT -> {
                if (jmp32) {
                    r1.s32max = Math.min(r1.s32max, r2.s32max - 1);
                    r2.s32min = Math.max(r1.s32min + 1, r2.s32min);
                } else {
                    r1.smax = Math.min(r1.smax, r2.smax - 1);
                    r2.smin = Math.max(r1.smin + 1, r2.smin);
                }
            }
            default -> {}
        }
    }

    /** The high 32 bits of {@code reg} with the low 32 of {@code sub}. */
    static Tnum withSubreg(Tnum reg, Tnum sub) {
        return reg.clearSubreg().or(sub.subreg());
    }

    /** Whether the bounds describe no value at all (a branch that cannot be taken). */
    static boolean empty(Reg r) {
        return r.type == RegType.SCALAR && (Long.compareUnsigned(r.umin, r.umax) > 0 || r.smin > r.smax
                || Integer.compareUnsigned(r.u32min, r.u32max) > 0 || r.s32min > r.s32max
                || Long.compareUnsigned(r.umin, r.var.value() | r.var.mask()) > 0
                || Long.compareUnsigned(r.umax, r.var.value()) < 0);
    }
}
