package dev.jxdp.verifier;

/**
 * A "tristate number" (the kernel's {@code struct tnum}, kernel/bpf/tnum.c): what is known about the
 * bits of a 64-bit value. A bit set in {@code mask} is unknown; every other bit has the value of the
 * same bit in {@code value}. Invariant: {@code value & mask == 0}. Each operation over-approximates:
 * the result contains every value the operation can produce from members of its inputs.
 */
public record Tnum(long value, long mask) {
    public static final Tnum UNKNOWN = new Tnum(0, -1L);
    public static final Tnum ZERO = new Tnum(0, 0);

    public static Tnum constant(long v) {
        return new Tnum(v, 0);
    }

    /** The smallest tnum holding every value of the unsigned range [min, max]. */
    public static Tnum range(long min, long max) {
        long chi = min ^ max;
        int bits = 64 - Long.numberOfLeadingZeros(chi);
        if (bits > 63) {
            return UNKNOWN;
        }
        long delta = (1L << bits) - 1;
        return new Tnum(min & ~delta, delta);
    }

    public boolean isConst() {
        return mask == 0;
    }

    public boolean isUnknown() {
        return mask == -1L;
    }

    public boolean equalsConst(long v) {
        return mask == 0 && value == v;
    }

    public Tnum shiftLeft(int shift) {
        return new Tnum(value << shift, mask << shift);
    }

    public Tnum shiftRight(int shift) {
        return new Tnum(value >>> shift, mask >>> shift);
    }

    /** Arithmetic shift right of the whole 64 bits ({@code bits == 64}) or of the low 32, zero-extended. */
    public Tnum arithShiftRight(int shift, int bits) {
        if (bits == 32) {
            return new Tnum(Integer.toUnsignedLong((int) value >> shift), Integer.toUnsignedLong((int) mask >> shift));
        }
        return new Tnum(value >> shift, mask >> shift);
    }

    public Tnum add(Tnum b) {
        long sm = mask + b.mask;
        long sv = value + b.value;
        long sigma = sm + sv;
        long chi = sigma ^ sv;
        long mu = chi | mask | b.mask;
        return new Tnum(sv & ~mu, mu);
    }

    public Tnum sub(Tnum b) {
        long dv = value - b.value;
        long alpha = dv + mask;
        long beta = dv - b.mask;
        long chi = alpha ^ beta;
        long mu = chi | mask | b.mask;
        return new Tnum(dv & ~mu, mu);
    }

    public Tnum neg() {
        return ZERO.sub(this);
    }

    public Tnum and(Tnum b) {
        long alpha = value | mask;
        long beta = b.value | b.mask;
        long v = value & b.value;
        return new Tnum(v, alpha & beta & ~v);
    }

    public Tnum or(Tnum b) {
        long v = value | b.value;
        long mu = mask | b.mask;
        return new Tnum(v, mu & ~v);
    }

    public Tnum xor(Tnum b) {
        long v = value ^ b.value;
        long mu = mask | b.mask;
        return new Tnum(v & ~mu, mu);
    }

    /** Long multiplication bit by bit: each known 1 of this adds b's unknown bits, each unknown bit all of b. */
    public Tnum mul(Tnum b) {
        long accV = value * b.value;
        Tnum accM = ZERO;
        Tnum a = this;
        while (a.value != 0 || a.mask != 0) {
            if ((a.value & 1) != 0) {
                accM = accM.add(new Tnum(0, b.mask));
            } else if ((a.mask & 1) != 0) {
                accM = accM.add(new Tnum(0, b.value | b.mask));
            }
            a = a.shiftRight(1);
            b = b.shiftLeft(1);
        }
        return new Tnum(accV, 0).add(accM);
    }

    /** What both describe: the bits known in either (the caller guarantees they agree). */
    public Tnum intersect(Tnum b) {
        long v = value | b.value;
        long mu = mask & b.mask;
        return new Tnum(v & ~mu, mu);
    }

    /** The low {@code bytes} bytes, zero-extended. */
    public Tnum cast(int bytes) {
        if (bytes >= 8) {
            return this;
        }
        long keep = (1L << (bytes * 8)) - 1;
        return new Tnum(value & keep, mask & keep);
    }

    public boolean isAligned(long size) {
        if (size == 0) {
            return true;
        }
        return ((value | mask) & (size - 1)) == 0;
    }

    /** Whether every value of {@code b} is a value of this. */
    public boolean contains(Tnum b) {
        if ((b.mask & ~mask) != 0) {
            return false;
        }
        return value == (b.value & ~mask);
    }

    /** The low 32 bits. */
    public Tnum subreg() {
        return cast(4);
    }

    /** The high 32 bits, the low ones known zero. */
    public Tnum clearSubreg() {
        return shiftRight(32).shiftLeft(32);
    }

    /** The high 32 bits of this with the low 32 bits the constant {@code v}. */
    public Tnum withConstSubreg(int v) {
        return clearSubreg().or(constant(Integer.toUnsignedLong(v)));
    }

    public boolean subregIsConst() {
        return (int) mask == 0;
    }

    /**
     * The smallest member greater than {@code z} (unsigned), or -1 (all ones) when there is none
     * (the kernel's tnum_step, used to find a range and a tnum overlapping in one value).
     */
    public long step(long z) {
        if (z == -1L) {
            return -1L;
        }
        long target = z + 1;
        long y = (target & mask) | value;
        long diff = y ^ target;
        if (diff == 0) {
            return y;
        }
        int h = 63 - Long.numberOfLeadingZeros(diff);
        long below = h == 0 ? 0 : (1L << h) - 1;
        if ((y >>> h & 1) != 0) {
            // y exceeds target first at a fixed bit: the smallest such member has no free bits below it
            return (y & ~below) | (value & below);
        }
        // y is below target at a fixed bit: raise the lowest free bit above h that is clear
        long free = mask & ~y & (h == 63 ? 0 : -1L << (h + 1));
        if (free == 0) {
            return -1L;
        }
        long p = Long.lowestOneBit(free);
        long lowerMask = p - 1;
        return ((y | p) & ~lowerMask) | (value & lowerMask);
    }

    /** The kernel's tnum_strn: {@code (0x0; 0xff)}. */
    @Override
    public String toString() {
        return "(0x" + Long.toHexString(value) + "; 0x" + Long.toHexString(mask) + ")";
    }
}
