package dev.jxdp.verifier;

import dev.jxdp.isa.AluOp;

/**
 * Arithmetic on two scalars (the kernel's adjust_scalar_min_max_vals, Linux 6.18): the result's known
 * bits and ranges, 32- and 64-bit. Operations whose bounds the kernel does not track (division,
 * modulo, shifts by a non-constant) give an unknown scalar, as there.
 */
final class ScalarAlu {
    private ScalarAlu() {}

    /** The kernel's opcode index into bpf_alu_string. */
    static String opString(AluOp op) {
        return switch (op) {
            case ADD -> "+=";
            case SUB -> "-=";
            case MUL -> "*=";
            case DIV, SDIV -> "/=";
            case OR -> "|=";
            case AND -> "&=";
            case LSH -> "<<=";
            case RSH -> ">>=";
            case NEG -> "neg";
            case MOD, SMOD -> "%=";
            case XOR -> "^=";
            case MOV, MOVSX8, MOVSX16, MOVSX32 -> "=";
            case ARSH -> "s>>=";
        };
    }

    private static boolean srcIsConst(Reg src, boolean alu32) {
        if (alu32) {
            return src.var.subregIsConst() && src.s32min == src.s32max && src.u32min == src.u32max;
        }
        return src.var.isConst() && src.smin == src.smax && src.umin == src.umax;
    }

    /** is_safe_to_compute_dst_reg_range. */
    private static boolean safeToCompute(AluOp op, Reg src, boolean alu32) {
        int bits = alu32 ? 32 : 64;
        return switch (op) {
            case ADD, SUB, NEG, AND, XOR, OR, MUL -> true;
            case LSH, RSH, ARSH -> srcIsConst(src, alu32) && Long.compareUnsigned(src.umax, bits) < 0;
            default -> false;
        };
    }

    /** dst op= src for scalars dst and src (src is not modified). */
    static void apply(Reg dst, Reg src, AluOp op, boolean alu32) {
        boolean srcKnown = alu32 ? src.var.subregIsConst() : src.var.isConst();
        if (alu32) {
            if (srcKnown && (src.s32min != src.s32max || src.u32min != src.u32max)
                    || src.s32min > src.s32max || Integer.compareUnsigned(src.u32min, src.u32max) > 0) {
                dst.markUnknown(); // bounds from a dead branch
                return;
            }
        } else if (srcKnown && (src.smin != src.smax || src.umin != src.umax)
                || src.smin > src.smax || Long.compareUnsigned(src.umin, src.umax) > 0) {
            dst.markUnknown();
            return;
        }
        if (!safeToCompute(op, src, alu32)) {
            dst.markUnknown();
            return;
        }
        switch (op) {
            case ADD -> {
                add32(dst, src);
                add64(dst, src);
                dst.var = dst.var.add(src.var);
            }
            case SUB -> {
                sub32(dst, src);
                sub64(dst, src);
                dst.var = dst.var.sub(src.var);
            }
            case NEG -> {
                Reg old = dst.copy();
                dst.markKnown(0);
                sub32(dst, old);
                sub64(dst, old);
                dst.var = old.var.neg();
            }
            case MUL -> {
                dst.var = dst.var.mul(src.var);
                mul32(dst, src);
                mul64(dst, src);
            }
            case AND -> {
                dst.var = dst.var.and(src.var);
                and32(dst, src);
                and64(dst, src);
            }
            case OR -> {
                dst.var = dst.var.or(src.var);
                or32(dst, src);
                or64(dst, src);
            }
            case XOR -> {
                dst.var = dst.var.xor(src.var);
                xor32(dst, src);
                xor64(dst, src);
            }
            case LSH -> {
                if (alu32) {
                    lsh32(dst, src);
                } else {
                    lsh64(dst, src);
                }
            }
            case RSH -> {
                if (alu32) {
                    rsh32(dst, src);
                } else {
                    rsh64(dst, src);
                }
            }
            case ARSH -> {
                if (alu32) {
                    arsh32(dst, src);
                } else {
                    arsh64(dst, src);
                }
            }
            default -> {
                dst.markUnknown();
                return;
            }
        }
        if (alu32) {
            Bounds.zext32To64(dst);
        }
        Bounds.sync(dst);
    }

    private static void add32(Reg d, Reg s) {
        long smin = (long) d.s32min + s.s32min;
        long smax = (long) d.s32max + s.s32max;
        if (smin != (int) smin || smax != (int) smax) {
            d.s32min = Integer.MIN_VALUE;
            d.s32max = Integer.MAX_VALUE;
        } else {
            d.s32min = (int) smin;
            d.s32max = (int) smax;
        }
        long umin = Integer.toUnsignedLong(d.u32min) + Integer.toUnsignedLong(s.u32min);
        long umax = Integer.toUnsignedLong(d.u32max) + Integer.toUnsignedLong(s.u32max);
        if (umin > 0xffff_ffffL || umax > 0xffff_ffffL) {
            d.u32min = 0;
            d.u32max = -1;
        } else {
            d.u32min = (int) umin;
            d.u32max = (int) umax;
        }
    }

    private static void add64(Reg d, Reg s) {
        long smin = d.smin + s.smin;
        long smax = d.smax + s.smax;
        if (((d.smin ^ smin) & (s.smin ^ smin)) < 0 || ((d.smax ^ smax) & (s.smax ^ smax)) < 0) {
            d.smin = Long.MIN_VALUE;
            d.smax = Long.MAX_VALUE;
        } else {
            d.smin = smin;
            d.smax = smax;
        }
        long umin = d.umin + s.umin;
        long umax = d.umax + s.umax;
        if (Long.compareUnsigned(umin, d.umin) < 0 || Long.compareUnsigned(umax, d.umax) < 0) {
            d.umin = 0;
            d.umax = -1L;
        } else {
            d.umin = umin;
            d.umax = umax;
        }
    }

    private static void sub32(Reg d, Reg s) {
        long smin = (long) d.s32min - s.s32max;
        long smax = (long) d.s32max - s.s32min;
        if (smin != (int) smin || smax != (int) smax) {
            d.s32min = Integer.MIN_VALUE;
            d.s32max = Integer.MAX_VALUE;
        } else {
            d.s32min = (int) smin;
            d.s32max = (int) smax;
        }
        if (Integer.compareUnsigned(d.u32min, s.u32max) < 0) {
            d.u32min = 0;
            d.u32max = -1;
        } else {
            int umin = d.u32min - s.u32max;
            int umax = d.u32max - s.u32min;
            d.u32min = umin;
            d.u32max = umax;
        }
    }

    private static void sub64(Reg d, Reg s) {
        long smin = d.smin - s.smax;
        long smax = d.smax - s.smin;
        if (((d.smin ^ s.smax) & (d.smin ^ smin)) < 0 || ((d.smax ^ s.smin) & (d.smax ^ smax)) < 0) {
            d.smin = Long.MIN_VALUE;
            d.smax = Long.MAX_VALUE;
        } else {
            d.smin = smin;
            d.smax = smax;
        }
        if (Long.compareUnsigned(d.umin, s.umax) < 0) {
            d.umin = 0;
            d.umax = -1L;
        } else {
            long umin = d.umin - s.umax;
            long umax = d.umax - s.umin;
            d.umin = umin;
            d.umax = umax;
        }
    }

    private static void mul32(Reg d, Reg s) {
        long umax = Integer.toUnsignedLong(d.u32max) * Integer.toUnsignedLong(s.u32max);
        long umin = Integer.toUnsignedLong(d.u32min) * Integer.toUnsignedLong(s.u32min);
        // Both factors are below 2^32, so the products fit 64 bits; overflow means beyond 32.
        if (Long.compareUnsigned(umax, 0xffff_ffffL) > 0 || Long.compareUnsigned(umin, 0xffff_ffffL) > 0) {
            d.u32min = 0;
            d.u32max = -1;
        } else {
            d.u32min = (int) umin;
            d.u32max = (int) umax;
        }
        long a = (long) d.s32min * s.s32min;
        long b = (long) d.s32min * s.s32max;
        long c = (long) d.s32max * s.s32min;
        long e = (long) d.s32max * s.s32max;
        if (a != (int) a || b != (int) b || c != (int) c || e != (int) e) {
            d.s32min = Integer.MIN_VALUE;
            d.s32max = Integer.MAX_VALUE;
        } else {
            d.s32min = (int) Math.min(Math.min(a, b), Math.min(c, e));
            d.s32max = (int) Math.max(Math.max(a, b), Math.max(c, e));
        }
    }

    private static boolean mulOverflowsUnsigned(long x, long y) {
        return Math.unsignedMultiplyHigh(x, y) != 0;
    }

    private static void mul64(Reg d, Reg s) {
        if (mulOverflowsUnsigned(d.umax, s.umax) || mulOverflowsUnsigned(d.umin, s.umin)) {
            d.umin = 0;
            d.umax = -1L;
        } else {
            d.umin = d.umin * s.umin;
            d.umax = d.umax * s.umax;
        }
        try {
            long a = Math.multiplyExact(d.smin, s.smin);
            long b = Math.multiplyExact(d.smin, s.smax);
            long c = Math.multiplyExact(d.smax, s.smin);
            long e = Math.multiplyExact(d.smax, s.smax);
            d.smin = Math.min(Math.min(a, b), Math.min(c, e));
            d.smax = Math.max(Math.max(a, b), Math.max(c, e));
        } catch (ArithmeticException overflow) {
            d.smin = Long.MIN_VALUE;
            d.smax = Long.MAX_VALUE;
        }
    }

    private static void and32(Reg d, Reg s) {
        Tnum v = d.var.subreg();
        if (s.var.subregIsConst() && d.var.subregIsConst()) {
            d.s32min = d.s32max = (int) v.value();
            d.u32min = d.u32max = (int) v.value();
            return;
        }
        d.u32min = (int) v.value();
        d.u32max = Bounds.umin32(d.u32max, s.u32max);
        signed32FromUnsigned(d);
    }

    private static void and64(Reg d, Reg s) {
        if (s.var.isConst() && d.var.isConst()) {
            markKnown64(d, d.var.value());
            return;
        }
        d.umin = d.var.value();
        d.umax = Bounds.uminOf(d.umax, s.umax);
        signedFromUnsigned(d);
        Bounds.update(d);
    }

    private static void or32(Reg d, Reg s) {
        Tnum v = d.var.subreg();
        if (s.var.subregIsConst() && d.var.subregIsConst()) {
            d.s32min = d.s32max = (int) v.value();
            d.u32min = d.u32max = (int) v.value();
            return;
        }
        d.u32min = Bounds.umax32(d.u32min, s.u32min);
        d.u32max = (int) (v.value() | v.mask());
        signed32FromUnsigned(d);
    }

    private static void or64(Reg d, Reg s) {
        if (s.var.isConst() && d.var.isConst()) {
            markKnown64(d, d.var.value());
            return;
        }
        d.umin = Bounds.umaxOf(d.umin, s.umin);
        d.umax = d.var.value() | d.var.mask();
        signedFromUnsigned(d);
        Bounds.update(d);
    }

    private static void xor32(Reg d, Reg s) {
        Tnum v = d.var.subreg();
        if (s.var.subregIsConst() && d.var.subregIsConst()) {
            d.s32min = d.s32max = (int) v.value();
            d.u32min = d.u32max = (int) v.value();
            return;
        }
        d.u32min = (int) v.value();
        d.u32max = (int) (v.value() | v.mask());
        signed32FromUnsigned(d);
    }

    private static void xor64(Reg d, Reg s) {
        if (s.var.isConst() && d.var.isConst()) {
            markKnown64(d, d.var.value());
            return;
        }
        d.umin = d.var.value();
        d.umax = d.var.value() | d.var.mask();
        signedFromUnsigned(d);
        Bounds.update(d);
    }

    private static void markKnown64(Reg d, long v) {
        d.smin = d.smax = v;
        d.umin = d.umax = v;
    }

    /** Signed bounds are the unsigned ones when the unsigned range does not cross the sign bit. */
    private static void signed32FromUnsigned(Reg d) {
        if (d.u32min <= d.u32max) {
            d.s32min = d.u32min;
            d.s32max = d.u32max;
        } else {
            d.s32min = Integer.MIN_VALUE;
            d.s32max = Integer.MAX_VALUE;
        }
    }

    private static void signedFromUnsigned(Reg d) {
        if (d.umin <= d.umax) {
            d.smin = d.umin;
            d.smax = d.umax;
        } else {
            d.smin = Long.MIN_VALUE;
            d.smax = Long.MAX_VALUE;
        }
    }

    private static void lsh32Bounds(Reg d, long umin, long umax) {
        d.s32min = Integer.MIN_VALUE;
        d.s32max = Integer.MAX_VALUE;
        if (umax > 31 || Long.compareUnsigned(Integer.toUnsignedLong(d.u32max), 1L << (31 - umax)) > 0) {
            d.u32min = 0;
            d.u32max = -1;
        } else {
            d.u32min = d.u32min << umin;
            d.u32max = d.u32max << umax;
        }
    }

    private static void lsh32(Reg d, Reg s) {
        long umin = Integer.toUnsignedLong(s.u32min);
        long umax = Integer.toUnsignedLong(s.u32max);
        Tnum sub = d.var.subreg();
        lsh32Bounds(d, umin, umax);
        d.var = sub.shiftLeft((int) umin).subreg();
        Bounds.mark64Unbounded(d);
        Bounds.update32(d);
    }

    private static void lsh64(Reg d, Reg s) {
        long umin = s.umin;
        long umax = s.umax;
        // 64-bit first: it uses the unshifted 32-bit bounds.
        if (umin == 32 && umax == 32 && d.s32max >= 0) {
            d.smax = (long) d.s32max << 32;
        } else {
            d.smax = Long.MAX_VALUE;
        }
        if (umin == 32 && umax == 32 && d.s32min >= 0) {
            d.smin = (long) d.s32min << 32;
        } else {
            d.smin = Long.MIN_VALUE;
        }
        if (Long.compareUnsigned(d.umax, 1L << (63 - umax)) > 0) {
            d.umin = 0;
            d.umax = -1L;
        } else {
            d.umin = d.umin << umin;
            d.umax = d.umax << umax;
        }
        lsh32Bounds(d, umin, umax);
        d.var = d.var.shiftLeft((int) umin);
        Bounds.update(d);
    }

    private static void rsh32(Reg d, Reg s) {
        long umin = Integer.toUnsignedLong(s.u32min);
        long umax = Integer.toUnsignedLong(s.u32max);
        Tnum sub = d.var.subreg();
        d.s32min = Integer.MIN_VALUE;
        d.s32max = Integer.MAX_VALUE;
        d.var = sub.shiftRight((int) umin);
        d.u32min = d.u32min >>> umax;
        d.u32max = d.u32max >>> umin;
        Bounds.mark64Unbounded(d);
        Bounds.update32(d);
    }

    private static void rsh64(Reg d, Reg s) {
        long umin = s.umin;
        long umax = s.umax;
        d.smin = Long.MIN_VALUE;
        d.smax = Long.MAX_VALUE;
        d.var = d.var.shiftRight((int) umin);
        d.umin = d.umin >>> umax;
        d.umax = d.umax >>> umin;
        Bounds.mark32Unbounded(d);
        Bounds.update(d);
    }

    private static void arsh32(Reg d, Reg s) {
        int umin = s.u32min;
        d.s32min = d.s32min >> umin;
        d.s32max = d.s32max >> umin;
        d.var = d.var.subreg().arithShiftRight(umin, 32).subreg();
        d.u32min = 0;
        d.u32max = -1;
        Bounds.mark64Unbounded(d);
        Bounds.update32(d);
    }

    private static void arsh64(Reg d, Reg s) {
        int umin = (int) s.umin;
        d.smin = d.smin >> umin;
        d.smax = d.smax >> umin;
        d.var = d.var.arithShiftRight(umin, 64);
        d.umin = 0;
        d.umax = -1L;
        Bounds.mark32Unbounded(d);
        Bounds.update(d);
    }
}
