package dev.jxdp.hooks;

import dev.jxdp.exec.Helper;
import dev.jxdp.exec.HelperContext;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Map;

/**
 * The checksum helpers (net/core/filter.c): bpf_csum_diff (XDP and tc) and, for tc,
 * bpf_l3_csum_replace, bpf_l4_csum_replace, bpf_csum_update and bpf_csum_level. The arithmetic is
 * {@link Checksum}'s; the skbs jxdp makes carry no checksum state of their own (CHECKSUM_NONE) unless
 * a helper set it, so the CHECKSUM_COMPLETE and PARTIAL branches of the kernel matter only then.
 */
final class ChecksumHelpers {
    private ChecksumHelpers() {}

    static final int L3_CSUM_REPLACE = 10;
    static final int L4_CSUM_REPLACE = 11;
    static final int CSUM_DIFF = 28;
    static final int CSUM_UPDATE = 40;
    static final int CSUM_LEVEL = 135;

    static final long F_HDR_FIELD_MASK = 0xf;
    static final long F_PSEUDO_HDR = 1L << 4;
    static final long F_MARK_MANGLED_0 = 1L << 5;
    static final long F_MARK_ENFORCE = 1L << 6;
    static final long F_IPV6 = 1L << 7;
    static final int CHECKSUM_NONE = 0;
    static final int CHECKSUM_UNNECESSARY = 1;
    static final int CHECKSUM_COMPLETE = 2;
    static final int CHECKSUM_PARTIAL = 3;
    private static final int CSUM_MANGLED_0 = 0xffff;
    private static final int SKB_MAX_CSUM_LEVEL = 3;
    private static final ValueLayout.OfShort LE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    static void registerCommon(Map<Integer, Helper> into) {
        into.put(CSUM_DIFF, ChecksumHelpers::csumDiff);
    }

    static void registerTc(Map<Integer, Helper> into) {
        into.put(L3_CSUM_REPLACE, ChecksumHelpers::l3Replace);
        into.put(L4_CSUM_REPLACE, ChecksumHelpers::l4Replace);
        into.put(CSUM_UPDATE, (ctx, skb, csum, c, d, e) -> {
            Skb s = HelperArgs.context(ctx, skb, "bpf_csum_update").skb();
            if (s.ipSummed == CHECKSUM_COMPLETE) {
                s.csum = Checksum.add(s.csum, (int) csum);
                return Integer.toUnsignedLong(s.csum);
            }
            return -524; // ENOTSUPP
        });
        into.put(CSUM_LEVEL, (ctx, skb, level, c, d, e) -> csumLevel(HelperArgs.context(ctx, skb, "bpf_csum_level").skb(), level));
    }

    /**
     * bpf_csum_diff: the checksum of {@code to} less that of {@code from}, on {@code seed}, folded to 16
     * bits. Linux 6.18 checks no sizes any more (older kernels wanted multiples of 4 and at most 512
     * bytes in all, and returned the 32-bit sum): any lengths the program may read are summed, the
     * last 1-3 bytes as x86's csum_partial loads them.
     */
    private static long csumDiff(HelperContext ctx, long from, long fromSize, long to, long toSize, long seed) {
        long f = HelperArgs.u32(fromSize);
        long t = HelperArgs.u32(toSize);
        MemorySegment fromMem = HelperArgs.memory(ctx, from, f, false);
        MemorySegment toMem = HelperArgs.memory(ctx, to, t, false);
        int ret = (int) seed;
        if (f != 0 && t != 0) {
            ret = Checksum.sub(Checksum.partial(toMem, 0, t, ret), Checksum.partial(fromMem, 0, f, 0));
        } else if (t != 0) {
            ret = Checksum.partial(toMem, 0, t, ret);
        } else if (f != 0) {
            ret = ~Checksum.partial(fromMem, 0, f, ~ret);
        }
        return Checksum.from32to16(ret);
    }

    private static long l3Replace(HelperContext ctx, long skb, long offset, long from, long to, long flags) {
        Skb s = HelperArgs.context(ctx, skb, "bpf_l3_csum_replace").skb();
        if ((flags & ~F_HDR_FIELD_MASK) != 0) {
            return -22;
        }
        long off = HelperArgs.u32(offset);
        if (off > 0xffff || (off & 1) != 0 || off + 2 > s.length()) {
            return -14;
        }
        MemorySegment field = s.bytes().asSlice(off, 2);
        int sum = field.get(LE16, 0) & 0xffff;
        switch ((int) (flags & F_HDR_FIELD_MASK)) {
            case 0 -> {
                if (from != 0) {
                    return -22;
                }
                sum = Checksum.replaceByDiff(sum, (int) to);
            }
            case 2 -> sum = Checksum.replace2(sum, (int) from, (int) to);
            case 4 -> sum = Checksum.replace4(sum, (int) from, (int) to);
            default -> {
                return -22;
            }
        }
        field.set(LE16, 0, (short) sum);
        return 0;
    }

    private static long l4Replace(HelperContext ctx, long skb, long offset, long from, long to, long flags) {
        Skb s = HelperArgs.context(ctx, skb, "bpf_l4_csum_replace").skb();
        boolean pseudo = (flags & F_PSEUDO_HDR) != 0;
        boolean mmzero = (flags & F_MARK_MANGLED_0) != 0;
        boolean mforce = (flags & F_MARK_ENFORCE) != 0;
        boolean ipv6 = (flags & F_IPV6) != 0;
        if ((flags & ~(F_MARK_MANGLED_0 | F_MARK_ENFORCE | F_PSEUDO_HDR | F_HDR_FIELD_MASK | F_IPV6)) != 0) {
            return -22;
        }
        long off = HelperArgs.u32(offset);
        if (off > 0xffff || (off & 1) != 0 || off + 2 > s.length()) {
            return -14;
        }
        MemorySegment field = s.bytes().asSlice(off, 2);
        int sum = field.get(LE16, 0) & 0xffff;
        if (mmzero && !mforce && sum == 0) {
            return 0;
        }
        switch ((int) (flags & F_HDR_FIELD_MASK)) {
            case 0 -> {
                if (from != 0) {
                    return -22;
                }
                sum = replaceByDiff(s, sum, (int) to, pseudo, ipv6);
            }
            case 2 -> sum = replace4(s, sum, (int) from & 0xffff, (int) to & 0xffff, pseudo);
            case 4 -> sum = replace4(s, sum, (int) from, (int) to, pseudo);
            default -> {
                return -22;
            }
        }
        if (mmzero && sum == 0) {
            sum = CSUM_MANGLED_0;
        }
        field.set(LE16, 0, (short) sum);
        return 0;
    }

    /** inet_proto_csum_replace4 (and, with 16-bit values, inet_proto_csum_replace2). */
    private static int replace4(Skb s, int sum, int from, int to, boolean pseudo) {
        if (s.ipSummed != CHECKSUM_PARTIAL) {
            int result = Checksum.fold(Checksum.partialOfPair(from, to, ~Checksum.unfold(sum)));
            if (s.ipSummed == CHECKSUM_COMPLETE && pseudo) {
                s.csum = ~Checksum.partialOfPair(from, to, ~s.csum);
            }
            return result;
        }
        return pseudo ? ~Checksum.fold(Checksum.partialOfPair(from, to, Checksum.unfold(sum))) & 0xffff : sum;
    }

    /** inet_proto_csum_replace_by_diff. */
    private static int replaceByDiff(Skb s, int sum, int diff, boolean pseudo, boolean ipv6) {
        if (s.ipSummed != CHECKSUM_PARTIAL) {
            int result = Checksum.replaceByDiff(sum, diff);
            if (s.ipSummed == CHECKSUM_COMPLETE && pseudo && !ipv6) {
                s.csum = ~Checksum.sub(diff, s.csum);
            }
            return result;
        }
        return pseudo ? ~Checksum.fold(Checksum.add(diff, Checksum.unfold(sum))) & 0xffff : sum;
    }

    /** bpf_csum_level: BPF_CSUM_LEVEL_QUERY 0, INC 1, DEC 2, RESET 3. */
    private static long csumLevel(Skb s, long level) {
        if (level < 0 || level > 3) {
            return -22;
        }
        switch ((int) level) {
            case 1 -> {
                if (s.ipSummed == CHECKSUM_UNNECESSARY) {
                    if (s.csumLevel < SKB_MAX_CSUM_LEVEL) {
                        s.csumLevel++;
                    }
                } else if (s.ipSummed == CHECKSUM_NONE) {
                    s.ipSummed = CHECKSUM_UNNECESSARY;
                    s.csumLevel = 0;
                }
            }
            case 2 -> {
                if (s.ipSummed == CHECKSUM_UNNECESSARY) {
                    if (s.csumLevel == 0) {
                        s.ipSummed = CHECKSUM_NONE;
                    } else {
                        s.csumLevel--;
                    }
                }
            }
            case 3 -> {
                if (s.ipSummed == CHECKSUM_UNNECESSARY) {
                    s.csumLevel = 0;
                }
            }
            case 0 -> {
                return s.ipSummed == CHECKSUM_UNNECESSARY ? s.csumLevel : -13;
            }
            default -> {
                return -22;
            }
        }
        return 0;
    }
}
