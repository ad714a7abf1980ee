package dev.jxdp.verifier;

/**
 * Keeping a register's five descriptions of its value (known bits, signed and unsigned ranges of the
 * 64-bit value and of its low 32 bits) consistent: each one narrows the others. The kernel's
 * reg_bounds_sync and the helpers around it (kernel/bpf/verifier.c), with its newer deductions
 * between the 32- and 64-bit ranges. Unsigned values live in Java longs and ints; comparisons use
 * {@link Long#compareUnsigned} and friends.
 */
final class Bounds {
    private Bounds() {}

    static void markUnbounded(Reg r) {
        mark64Unbounded(r);
        mark32Unbounded(r);
    }

    static void mark64Unbounded(Reg r) {
        r.smin = Long.MIN_VALUE;
        r.smax = Long.MAX_VALUE;
        r.umin = 0;
        r.umax = -1L;
    }

    static void mark32Unbounded(Reg r) {
        r.s32min = Reg.S32_MIN;
        r.s32max = Reg.S32_MAX;
        r.u32min = 0;
        r.u32max = -1;
    }

    static long umaxOf(long a, long b) {
        return Long.compareUnsigned(a, b) >= 0 ? a : b;
    }

    static long uminOf(long a, long b) {
        return Long.compareUnsigned(a, b) <= 0 ? a : b;
    }

    static int umax32(int a, int b) {
        return Integer.compareUnsigned(a, b) >= 0 ? a : b;
    }

    static int umin32(int a, int b) {
        return Integer.compareUnsigned(a, b) <= 0 ? a : b;
    }

    static void update32(Reg r) {
        Tnum v = r.var.subreg();
        int value = (int) v.value();
        int mask = (int) v.mask();
        r.s32min = Math.max(r.s32min, value | (mask & Integer.MIN_VALUE));
        r.s32max = Math.min(r.s32max, value | (mask & Integer.MAX_VALUE));
        r.u32min = umax32(r.u32min, value);
        r.u32max = umin32(r.u32max, value | mask);
    }

    static void update64(Reg r) {
        long value = r.var.value();
        long mask = r.var.mask();
        r.smin = Math.max(r.smin, value | (mask & Long.MIN_VALUE));
        r.smax = Math.min(r.smax, value | (mask & Long.MAX_VALUE));
        r.umin = umaxOf(r.umin, value);
        r.umax = uminOf(r.umax, value | mask);
        // The range and the known bits may overlap in a single value (Linux 6.17+).
        if (mask == 0 || Long.compareUnsigned(r.umin, r.umax) > 0) {
            return;
        }
        long next = r.var.step(r.umin);
        boolean uminIn = (r.umin & ~mask) == value;
        long tmax = value | mask;
        if (uminIn && Long.compareUnsigned(next, r.umax) > 0) {
            markKnown(r, r.umin);
        } else if (!uminIn && next == tmax) {
            markKnown(r, tmax);
        } else if (!uminIn && Long.compareUnsigned(next, r.umax) <= 0 && Long.compareUnsigned(r.var.step(next), r.umax) > 0
                && !(r.var.step(next) == -1L && r.umax == -1L)) {
            markKnown(r, next);
        }
    }

    /** ___mark_reg_known: every description says {@code v}. */
    private static void markKnown(Reg r, long v) {
        r.var = Tnum.constant(v);
        r.smin = r.smax = v;
        r.umin = r.umax = v;
        r.s32min = r.s32max = (int) v;
        r.u32min = r.u32max = (int) v;
    }

    static void update(Reg r) {
        update32(r);
        update64(r);
    }

    private static void deduce32(Reg r) {
        // Upper halves of the 64-bit ranges equal: their low halves bound the subregister.
        if ((r.umin >>> 32) == (r.umax >>> 32)) {
            r.u32min = umax32(r.u32min, (int) r.umin);
            r.u32max = umin32(r.u32max, (int) r.umax);
            if ((int) r.umin <= (int) r.umax) {
                r.s32min = Math.max(r.s32min, (int) r.umin);
                r.s32max = Math.min(r.s32max, (int) r.umax);
            }
        }
        if ((r.smin >> 32) == (r.smax >> 32)) {
            if (Integer.compareUnsigned((int) r.smin, (int) r.smax) <= 0) {
                r.u32min = umax32(r.u32min, (int) r.smin);
                r.u32max = umin32(r.u32max, (int) r.smax);
            }
            if ((int) r.smin <= (int) r.smax) {
                r.s32min = Math.max(r.s32min, (int) r.smin);
                r.s32max = Math.min(r.s32max, (int) r.smax);
            }
        }
        // Upper halves two consecutive numbers, low halves crossing from negative to positive.
        if ((int) (r.umin >>> 32) + 1 == (int) (r.umax >>> 32) && (int) r.umin < 0 && (int) r.umax >= 0) {
            r.s32min = Math.max(r.s32min, (int) r.umin);
            r.s32max = Math.min(r.s32max, (int) r.umax);
        }
        if ((int) (r.smin >> 32) + 1 == (int) (r.smax >> 32) && (int) r.smin < 0 && (int) r.smax >= 0) {
            r.s32min = Math.max(r.s32min, (int) r.smin);
            r.s32max = Math.min(r.s32max, (int) r.smax);
        }
        if (r.u32min <= r.u32max) { // the unsigned range does not cross the sign boundary
            r.s32min = Math.max(r.s32min, r.u32min);
            r.s32max = Math.min(r.s32max, r.u32max);
        }
        if (Integer.compareUnsigned(r.s32min, r.s32max) <= 0) {
            r.u32min = umax32(r.s32min, r.u32min);
            r.u32max = umin32(r.s32max, r.u32max);
        }
    }

    private static void deduce64(Reg r) {
        if (r.umin <= r.umax) { // as signed: the unsigned range does not cross the sign boundary
            r.smin = Math.max(r.smin, r.umin);
            r.smax = Math.min(r.smax, r.umax);
        }
        if (Long.compareUnsigned(r.smin, r.smax) <= 0) {
            r.umin = umaxOf(r.smin, r.umin);
            r.umax = uminOf(r.smax, r.umax);
        } else {
            // The signed range wraps in unsigned terms: [smin, U64_MAX] and [0, smax].
            if (Long.compareUnsigned(r.umax, r.smin) < 0) {
                r.smin = r.umin;
                r.umax = uminOf(r.umax, r.smax);
            } else if (Long.compareUnsigned(r.smax, r.umin) < 0) {
                r.smax = r.umax;
                r.umin = umaxOf(r.umin, r.smin);
            }
        }
    }

    private static void deduceMixed(Reg r) {
        long newUmin = (r.umin & 0xffff_ffff_0000_0000L) | Integer.toUnsignedLong(r.u32min);
        long newUmax = (r.umax & 0xffff_ffff_0000_0000L) | Integer.toUnsignedLong(r.u32max);
        r.umin = umaxOf(r.umin, newUmin);
        r.umax = uminOf(r.umax, newUmax);
        long newSmin = (r.smin & 0xffff_ffff_0000_0000L) | Integer.toUnsignedLong(r.u32min);
        long newSmax = (r.smax & 0xffff_ffff_0000_0000L) | Integer.toUnsignedLong(r.u32max);
        r.smin = Math.max(r.smin, newSmin);
        r.smax = Math.min(r.smax, newSmax);
        // After a sign-extending load: the upper bits are all ones or all zeros.
        if (r.s32min >= 0 && r.smin >= Integer.MIN_VALUE && r.smax <= Integer.MAX_VALUE) {
            r.smin = r.s32min;
            r.smax = r.s32max;
            r.umin = r.s32min;
            r.umax = r.s32max;
            r.var = r.var.intersect(Tnum.range(r.smin, r.smax));
        }
    }

    static void deduce(Reg r) {
        deduce32(r);
        deduce64(r);
        deduceMixed(r);
    }

    /** Known bits from the unsigned ranges. */
    static void boundOffset(Reg r) {
        Tnum v64 = r.var.intersect(Tnum.range(r.umin, r.umax));
        Tnum v32 = v64.subreg().intersect(Tnum.range(Integer.toUnsignedLong(r.u32min), Integer.toUnsignedLong(r.u32max)));
        r.var = v64.clearSubreg().or(v32);
    }

    /** reg_bounds_sync: all that each description tells the others. */
    static void sync(Reg r) {
        update(r);
        deduce(r);
        deduce(r);
        boundOffset(r);
        update(r);
    }

    /** The 64-bit value is the zero-extended subregister: take its bounds from the 32-bit ones. */
    static void assign32Into64(Reg r) {
        r.umin = Integer.toUnsignedLong(r.u32min);
        r.umax = Integer.toUnsignedLong(r.u32max);
        if (r.s32min >= 0 && r.s32max >= 0) {
            r.smin = r.s32min;
            r.smax = r.s32max;
        } else {
            r.smin = 0;
            r.smax = 0xffff_ffffL;
        }
    }

    /** zext_32_to_64: the result of a 32-bit operation, zero-extended. */
    static void zext32To64(Reg r) {
        r.var = r.var.subreg();
        assign32Into64(r);
    }

    /** A 32-bit comparison narrowed the subregister: carry over what it says about the whole value. */
    static void combine32Into64(Reg r) {
        if (r.var.clearSubreg().equalsConst(0)) {
            assign32Into64(r);
        } else {
            mark64Unbounded(r);
        }
        sync(r);
    }

    /** A 64-bit comparison narrowed the value: carry over what it says about the subregister. */
    static void combine64Into32(Reg r) {
        mark32Unbounded(r);
        if (r.smin >= Integer.MIN_VALUE && r.smin <= Integer.MAX_VALUE && r.smax >= Integer.MIN_VALUE && r.smax <= Integer.MAX_VALUE) {
            r.s32min = (int) r.smin;
            r.s32max = (int) r.smax;
        }
        if (Long.compareUnsigned(r.umin, 0xffff_ffffL) <= 0 && Long.compareUnsigned(r.umax, 0xffff_ffffL) <= 0) {
            r.u32min = (int) r.umin;
            r.u32max = (int) r.umax;
        }
        sync(r);
    }

    /** coerce_reg_to_size: the value truncated to {@code size} bytes (1, 2 or 4), zero-extended. */
    static void coerceToSize(Reg r, int size) {
        r.var = r.var.cast(size);
        long mask = (1L << (size * 8)) - 1;
        if ((r.umin & ~mask) == (r.umax & ~mask)) {
            r.umin &= mask;
            r.umax &= mask;
        } else {
            r.umin = 0;
            r.umax = mask;
        }
        r.smin = r.umin;
        r.smax = r.umax;
        if (size < 4) {
            mark32Unbounded(r);
        }
        sync(r);
    }

    private static long signExtend(long v, int size) {
        return switch (size) {
            case 1 -> (byte) v;
            case 2 -> (short) v;
            default -> (int) v;
        };
    }

    /** coerce_reg_to_size_sx: the low {@code size} bytes (1, 2 or 4), sign-extended to 64 bits. */
    static void coerceToSizeSx(Reg r, int size) {
        if (r.var.isConst()) {
            long c = signExtend(r.var.value(), size);
            r.var = Tnum.constant(c);
            r.smin = r.smax = c;
            r.umin = r.umax = c;
            r.s32min = r.s32max = (int) c;
            r.u32min = r.u32max = (int) c;
            return;
        }
        int bits = size * 8;
        long topMax = (r.smax >>> bits) << bits;
        long topMin = (r.smin >>> bits) << bits;
        if (topMax == topMin) {
            long a = signExtend(r.smax, size);
            long b = signExtend(r.smin, size);
            long max = Math.max(a, b);
            long min = Math.min(a, b);
            if ((max >= 0) == (min >= 0)) {
                r.s32min = (int) min;
                r.smin = min;
                r.s32max = (int) max;
                r.smax = max;
                r.u32min = (int) min;
                r.umin = min;
                r.u32max = (int) max;
                r.umax = max;
                r.var = Tnum.range(min, max);
                return;
            }
        }
        long lo = size == 1 ? Byte.MIN_VALUE : size == 2 ? Short.MIN_VALUE : Integer.MIN_VALUE;
        long hi = size == 1 ? Byte.MAX_VALUE : size == 2 ? Short.MAX_VALUE : Integer.MAX_VALUE;
        r.smin = lo;
        r.s32min = (int) lo;
        r.smax = hi;
        r.s32max = (int) hi;
        r.umin = 0;
        r.u32min = 0;
        r.umax = -1L;
        r.u32max = -1;
        r.var = Tnum.UNKNOWN;
    }

    /** coerce_subreg_to_size_sx: the low 1 or 2 bytes sign-extended into the 32-bit subregister. */
    static void coerceSubregToSizeSx(Reg r, int size) {
        if (r.var.isConst()) {
            int c = (int) signExtend(r.var.value(), size);
            r.var = Tnum.constant(Integer.toUnsignedLong(c));
            r.s32min = r.s32max = c;
            r.u32min = r.u32max = c;
            return;
        }
        int bits = size * 8;
        int topMax = (r.s32max >>> bits) << bits;
        int topMin = (r.s32min >>> bits) << bits;
        if (topMax == topMin) {
            int a = (int) signExtend(r.s32max, size);
            int b = (int) signExtend(r.s32min, size);
            int max = Math.max(a, b);
            int min = Math.min(a, b);
            if ((min >= 0) == (max >= 0)) {
                r.s32min = min;
                r.s32max = max;
                r.u32min = min;
                r.u32max = max;
                r.var = Tnum.range(min, max).subreg();
                return;
            }
        }
        r.s32min = size == 1 ? Byte.MIN_VALUE : Short.MIN_VALUE;
        r.s32max = size == 1 ? Byte.MAX_VALUE : Short.MAX_VALUE;
        r.u32min = 0;
        r.u32max = -1;
        r.var = Tnum.UNKNOWN.subreg();
    }
}
