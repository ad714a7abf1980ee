package dev.jxdp.hooks;

import dev.jxdp.exec.Helper;
import dev.jxdp.exec.HelperContext;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Map;

/**
 * bpf_skb_get_tunnel_key and bpf_skb_set_tunnel_key (net/core/filter.c) over the {@link TunnelKey}
 * model: {@code struct bpf_tunnel_key} is tunnel_id u32 @0, remote_ipv4/ipv6 @4 (16), tunnel_tos @20,
 * tunnel_ttl @21, tunnel_ext/flags @22 (2), tunnel_label @24, local_ipv4/ipv6 @28 (16): 44 bytes;
 * the older layouts ending at remote_ipv6[1] (8), tunnel_ext (22), tunnel_label (24) or local_ipv6
 * (28) are accepted as the kernel accepts them.
 */
final class TunnelHelpers {
    private TunnelHelpers() {}

    static final int GET_TUNNEL_KEY = 20;
    static final int SET_TUNNEL_KEY = 21;

    static final long F_TUNINFO_IPV6 = 1;
    static final long F_ZERO_CSUM_TX = 1L << 1;
    static final long F_DONT_FRAGMENT = 1L << 2;
    static final long F_SEQ_NUMBER = 1L << 3;
    static final long F_NO_TUNNEL_KEY = 1L << 4;
    static final long F_TUNINFO_FLAGS = 1L << 4;
    static final int KEY_SIZE = 44;
    /** TUNNEL_KEY, TUNNEL_CSUM, TUNNEL_DONT_FRAGMENT, TUNNEL_NOCACHE as __be16 bit values (host view). */
    private static final int TUNNEL_CSUM = 0x01;
    private static final int TUNNEL_KEY = 0x04;
    private static final int TUNNEL_DONT_FRAGMENT = 0x0100;
    private static final int TUNNEL_NOCACHE = 0x2000;

    private static final ValueLayout.OfInt LE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt BE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfShort BE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    static void register(Map<Integer, Helper> into) {
        into.put(GET_TUNNEL_KEY, TunnelHelpers::get);
        into.put(SET_TUNNEL_KEY, TunnelHelpers::set);
    }

    private static boolean compatSize(long size) {
        return size == 28 || size == 24 || size == 22 || size == 8;
    }

    private static long get(HelperContext ctx, long skb, long to, long size, long flags, long e) {
        Skb s = HelperArgs.context(ctx, skb, "bpf_skb_get_tunnel_key").skb();
        long n = HelperArgs.u32(size);
        MemorySegment out = HelperArgs.memory(ctx, to, n, true);
        TunnelKey k = s.tunnel;
        long err = 0;
        if (k == null || (flags & ~(F_TUNINFO_IPV6 | F_TUNINFO_FLAGS)) != 0) {
            err = -22;
        } else if (k.ipv6() != ((flags & F_TUNINFO_IPV6) != 0)) {
            err = -71; // EPROTO
        } else if (n != KEY_SIZE && !(compatSize(n) && (n != 8 || !k.ipv6()))) {
            err = -22;
        }
        if (err != 0) {
            out.fill((byte) 0);
            return err;
        }
        MemorySegment key = MemorySegment.ofArray(new byte[KEY_SIZE]);
        key.set(LE32, 0, (int) k.id());
        key.set(ValueLayout.JAVA_BYTE, 20, (byte) k.tos());
        key.set(ValueLayout.JAVA_BYTE, 21, (byte) k.ttl());
        if ((flags & F_TUNINFO_FLAGS) != 0) {
            key.set(BE16, 22, (short) k.flags());
        }
        if (k.ipv6()) {
            MemorySegment.copy(MemorySegment.ofArray(k.src()), 0, key, 4, 16);
            MemorySegment.copy(MemorySegment.ofArray(k.dst()), 0, key, 28, 16);
            key.set(LE32, 24, k.label());
        } else {
            // be32_to_cpu: the address as a host-order number in the u32
            key.set(LE32, 4, MemorySegment.ofArray(k.src()).get(BE32, 0));
            key.set(LE32, 28, MemorySegment.ofArray(k.dst()).get(BE32, 0));
        }
        MemorySegment.copy(key, 0, out, 0, n);
        return 0;
    }

    private static long set(HelperContext ctx, long skb, long from, long size, long flags, long e) {
        Skb s = HelperArgs.context(ctx, skb, "bpf_skb_set_tunnel_key").skb();
        if ((flags & ~(F_TUNINFO_IPV6 | F_ZERO_CSUM_TX | F_DONT_FRAGMENT | F_NO_TUNNEL_KEY)) != 0) {
            return -22;
        }
        long n = HelperArgs.u32(size);
        if (n != KEY_SIZE && !compatSize(n)) {
            return -22;
        }
        MemorySegment key = MemorySegment.ofArray(new byte[KEY_SIZE]);
        MemorySegment.copy(HelperArgs.memory(ctx, from, n, false), 0, key, 0, n);
        boolean ipv6 = (flags & F_TUNINFO_IPV6) != 0;
        int label = key.get(LE32, 24);
        int ext = key.get(BE16, 22);
        if (!ipv6 && label != 0 || ext != 0) {
            return -22;
        }
        int tunFlags = TUNNEL_NOCACHE;
        if ((flags & F_DONT_FRAGMENT) != 0) {
            tunFlags |= TUNNEL_DONT_FRAGMENT;
        }
        if ((flags & F_ZERO_CSUM_TX) == 0) {
            tunFlags |= TUNNEL_CSUM;
        }
        if ((flags & F_NO_TUNNEL_KEY) == 0) {
            tunFlags |= TUNNEL_KEY;
        }
        byte[] src;
        byte[] dst;
        if (ipv6) {
            dst = key.asSlice(4, 16).toArray(ValueLayout.JAVA_BYTE);
            src = key.asSlice(28, 16).toArray(ValueLayout.JAVA_BYTE);
            label &= 0x000f_ffff; // IPV6_FLOWLABEL_MASK
        } else {
            dst = be32(key.get(LE32, 4));
            src = be32(key.get(LE32, 28));
        }
        long id = Integer.toUnsignedLong(key.get(LE32, 0));
        s.tunnel = new TunnelKey(id, ipv6, src, dst, key.get(ValueLayout.JAVA_BYTE, 20) & 0xff,
                key.get(ValueLayout.JAVA_BYTE, 21) & 0xff, ipv6 ? label : 0, tunFlags, true);
        return 0;
    }

    private static byte[] be32(int hostOrder) {
        byte[] b = new byte[4];
        MemorySegment.ofArray(b).set(BE32, 0, hostOrder);
        return b;
    }
}
