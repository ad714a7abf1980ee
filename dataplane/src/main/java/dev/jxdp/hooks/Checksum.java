package dev.jxdp.hooks;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The kernel's Internet checksum arithmetic (include/net/checksum.h, arch/x86), on the values as
 * x86-64 loads them: a {@code __wsum} is a 32-bit ones'-complement partial sum of little-endian
 * 32-bit words, a {@code __sum16} a 16-bit little-endian load of the checksum field. Everything here
 * returns what the kernel's functions return bit for bit, zero representations included: a
 * ones'-complement sum is 0 only if everything added was 0.
 */
public final class Checksum {
    private Checksum() {}

    private static final ValueLayout.OfInt LE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** csum_add: 32-bit add with end-around carry. */
    public static int add(int a, int b) {
        long r = Integer.toUnsignedLong(a) + Integer.toUnsignedLong(b);
        return (int) (r + (r >>> 32));
    }

    /** csum_sub. */
    public static int sub(int a, int b) {
        return add(a, ~b);
    }

    /**
     * csum_partial on x86-64 for whole 32-bit words ({@code length} a multiple of 4): the
     * ones'-complement sum of the little-endian words added to {@code seed}.
     */
    public static int partial(MemorySegment s, long offset, long length, int seed) {
        long sum = Integer.toUnsignedLong(seed);
        long i = 0;
        for (; i + 4 <= length; i += 4) {
            sum += Integer.toUnsignedLong(s.get(LE32, offset + i));
        }
        // the 1-3 trailing bytes, as x86's csum_partial loads them: zero-extended, little-endian
        if (i < length) {
            long tail = 0;
            for (int k = 0; i + k < length; k++) {
                tail |= (s.get(ValueLayout.JAVA_BYTE, offset + i + k) & 0xffL) << (8 * k);
            }
            sum += tail;
        }
        return from64to32(sum);
    }

    private static int from64to32(long sum) {
        sum = (sum & 0xffff_ffffL) + (sum >>> 32);
        sum = (sum & 0xffff_ffffL) + (sum >>> 32);
        return (int) sum;
    }

    /** csum_fold: the complement of the 16-bit fold. */
    public static int fold(int csum) {
        int sum = csum;
        sum += (sum >>> 16) | (sum << 16);
        return ~(sum >>> 16) & 0xffff;
    }

    /** csum_from32to16: the 16-bit fold, not complemented. */
    public static int from32to16(int csum) {
        int sum = csum;
        sum += (sum >>> 16) | (sum << 16);
        return (sum >>> 16) & 0xffff;
    }

    /** csum_unfold: a __sum16 as a __wsum. */
    public static int unfold(int sum16) {
        return sum16 & 0xffff;
    }

    /** csum16_add. */
    public static int add16(int csum, int addend) {
        int res = (csum & 0xffff) + (addend & 0xffff);
        return (res + (res >>> 16)) & 0xffff;
    }

    /** csum16_sub. */
    public static int sub16(int csum, int addend) {
        return add16(csum, ~addend);
    }

    /** csum_replace_by_diff: the new checksum field after the data changed by {@code diff}. */
    public static int replaceByDiff(int sum16, int diff) {
        return fold(add(diff, ~unfold(sum16)));
    }

    /** csum_replace4. */
    public static int replace4(int sum16, int from, int to) {
        int tmp = sub(~unfold(sum16), from);
        return fold(add(tmp, to));
    }

    /** csum_replace2. */
    public static int replace2(int sum16, int from, int to) {
        return ~add16(sub16(~sum16, from), to) & 0xffff;
    }

    /** csum_partial of {@code ~from, to} (the 8 bytes inet_proto_csum_replace4 sums). */
    static int partialOfPair(int from, int to, int seed) {
        long sum = Integer.toUnsignedLong(seed) + Integer.toUnsignedLong(~from) + Integer.toUnsignedLong(to);
        return from64to32(sum);
    }
}
