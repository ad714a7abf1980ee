package dev.jxdp.hooks;

import dev.jxdp.exec.Helper;
import java.lang.foreign.MemorySegment;
import java.util.Map;

/**
 * tc helpers about the skb rather than its bytes (net/core/filter.c): the flow hash
 * (bpf_get_hash_recalc, bpf_set_hash, bpf_set_hash_invalid), bpf_skb_change_type and
 * bpf_get_route_realm.
 *
 * <p>bpf_get_hash_recalc computes a hash the kernel's way in shape (the flow dissector's addresses,
 * ports and protocol, hashed with a per-boot random seed) but not in value: the seed is jxdp's, so
 * the same flow gets the same non-zero hash in one jxdp process, not the kernel's number.
 */
final class SkbMetaHelpers {
    private SkbMetaHelpers() {}

    static final int GET_ROUTE_REALM = 24;
    static final int CHANGE_TYPE = 32;
    static final int GET_HASH_RECALC = 34;
    static final int SET_HASH_INVALID = 41;
    static final int SET_HASH = 48;

    /** The flow hash seed (the kernel's hashrnd): one per process. */
    private static final int HASH_SEED = new java.util.Random().nextInt();

    static void register(Map<Integer, Helper> into) {
        into.put(GET_ROUTE_REALM, (ctx, skb, b, c, d, e) -> {
            HelperArgs.context(ctx, skb, "bpf_get_route_realm");
            return 0; // no routing decision (dst) is attached to the packets of a hook: dst_tclassid is 0
        });
        into.put(CHANGE_TYPE, (ctx, skb, type, c, d, e) -> {
            Skb s = HelperArgs.context(ctx, skb, "bpf_skb_change_type").skb();
            long t = HelperArgs.u32(type);
            if (s.pktType > Skb.PACKET_OTHERHOST || t > Skb.PACKET_OTHERHOST) {
                return -22;
            }
            s.pktType = (int) t;
            return 0;
        });
        into.put(GET_HASH_RECALC, (ctx, skb, b, c, d, e) -> {
            Skb s = HelperArgs.context(ctx, skb, "bpf_get_hash_recalc").skb();
            if (!s.l4Hash && !s.swHash) {
                s.hash = flowHash(s);
                s.l4Hash = true;
            }
            return Integer.toUnsignedLong(s.hash);
        });
        into.put(SET_HASH_INVALID, (ctx, skb, b, c, d, e) -> {
            clearHash(HelperArgs.context(ctx, skb, "bpf_set_hash_invalid").skb());
            return 0;
        });
        into.put(SET_HASH, (ctx, skb, hash, c, d, e) -> {
            Skb s = HelperArgs.context(ctx, skb, "bpf_set_hash").skb();
            s.hash = (int) hash;
            s.swHash = true;
            s.l4Hash = true;
            return 0;
        });
    }

    /** skb_clear_hash. */
    static void clearHash(Skb s) {
        s.hash = 0;
        s.swHash = false;
        s.l4Hash = false;
    }

    /** A flow hash over the IPv4/IPv6 addresses, the protocol and the first 4 bytes of L4 (ports); never 0. */
    private static int flowHash(Skb s) {
        MemorySegment b = s.bytes();
        int net = s.networkOffset();
        byte[] key;
        if (s.protocol == SkbShapeHelpers.ETH_P_IP && s.length() >= net + 20) {
            int ihl = (b.get(java.lang.foreign.ValueLayout.JAVA_BYTE, net) & 0xf) * 4;
            key = new byte[13];
            MemorySegment k = MemorySegment.ofArray(key);
            MemorySegment.copy(b, net + 12, k, 0, 8);
            key[8] = b.get(java.lang.foreign.ValueLayout.JAVA_BYTE, net + 9);
            if (s.length() >= net + ihl + 4) {
                MemorySegment.copy(b, net + ihl, k, 9, 4);
            }
        } else if (s.protocol == SkbShapeHelpers.ETH_P_IPV6 && s.length() >= net + 40) {
            key = new byte[37];
            MemorySegment k = MemorySegment.ofArray(key);
            MemorySegment.copy(b, net + 8, k, 0, 32);
            key[32] = b.get(java.lang.foreign.ValueLayout.JAVA_BYTE, net + 6);
            if (s.length() >= net + 44) {
                MemorySegment.copy(b, net + 40, k, 33, 4);
            }
        } else {
            return 0;
        }
        int h = java.util.Arrays.hashCode(key) ^ HASH_SEED;
        h ^= h >>> 16; // murmur3's finaliser spreads the bits
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h == 0 ? 1 : h;
    }
}
