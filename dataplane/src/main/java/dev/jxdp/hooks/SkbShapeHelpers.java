package dev.jxdp.hooks;

import dev.jxdp.exec.Helper;
import dev.jxdp.exec.HelperContext;
import java.lang.foreign.MemorySegment;
import java.util.Map;

/**
 * The tc helpers that change the packet's shape (net/core/filter.c, net/core/skbuff.c):
 * bpf_skb_vlan_push, bpf_skb_vlan_pop, bpf_skb_change_proto, bpf_skb_adjust_room,
 * bpf_skb_change_head, bpf_skb_change_tail. Each follows the kernel's steps (which bytes move where,
 * which headers move with them, what is zeroed, which errors come first); afterwards the program's
 * packet pointers are replaced, as the verifier makes the program reload them.
 *
 * <p>A VLAN push only records the tag (the kernel's hardware-accelerated tag, __sk_buff.vlan_present
 * and vlan_tci) and writes it into the packet when a second push comes or the packet leaves (see
 * {@link VlanTags}); a pop takes the recorded tag first, else the packet's outer one, and moves a next
 * tag of the packet into the record.
 */
final class SkbShapeHelpers {
    private SkbShapeHelpers() {}

    static final int VLAN_PUSH = 18;
    static final int VLAN_POP = 19;
    static final int CHANGE_PROTO = 31;
    static final int CHANGE_TAIL = 38;
    static final int CHANGE_HEAD = 43;
    static final int ADJUST_ROOM = 50;

    static final int ETH_P_IP = 0x0800;
    static final int ETH_P_IPV6 = 0x86dd;
    private static final int VLAN_HLEN = VlanTags.VLAN_HLEN;
    private static final int IPV4_HLEN = 20;
    private static final int IPV6_HLEN = 40;
    /** SKB_MAX_ALLOC with 4 KiB pages: BPF_SKB_MAX_LEN, and the max length of an skb without a device. */
    static final int SKB_MAX_ALLOC = (4096 << 2) - XdpBuff.SHARED_INFO;

    // bpf_skb_adjust_room flags and modes
    static final long ADJ_FIXED_GSO = 1;
    static final long ADJ_ENCAP_L3_IPV4 = 1L << 1;
    static final long ADJ_ENCAP_L3_IPV6 = 1L << 2;
    static final long ADJ_ENCAP_L4_GRE = 1L << 3;
    static final long ADJ_ENCAP_L4_UDP = 1L << 4;
    static final long ADJ_NO_CSUM_RESET = 1L << 5;
    static final long ADJ_ENCAP_L2_ETH = 1L << 6;
    static final long ADJ_DECAP_L3_IPV4 = 1L << 7;
    static final long ADJ_DECAP_L3_IPV6 = 1L << 8;
    static final long ADJ_ENCAP_L2_MASK = 0xffL << 56;
    static final long ADJ_ENCAP_L3_MASK = ADJ_ENCAP_L3_IPV4 | ADJ_ENCAP_L3_IPV6;
    static final long ADJ_DECAP_L3_MASK = ADJ_DECAP_L3_IPV4 | ADJ_DECAP_L3_IPV6;
    static final long ADJ_ROOM_MASK = ADJ_FIXED_GSO | ADJ_ENCAP_L3_MASK | ADJ_ENCAP_L4_GRE | ADJ_ENCAP_L4_UDP | ADJ_ENCAP_L2_ETH
            | ADJ_ENCAP_L2_MASK | ADJ_DECAP_L3_MASK;
    static final long ADJ_ROOM_NET = 0;
    static final long ADJ_ROOM_MAC = 1;


    static void register(Map<Integer, Helper> into) {
        into.put(VLAN_PUSH, (ctx, skb, proto, tci, d, e) -> shape(ctx, skb, "bpf_skb_vlan_push", s -> vlanPush(s, swap16(proto), (int) tci & 0xffff)));
        into.put(VLAN_POP, (ctx, skb, b, c, d, e) -> shape(ctx, skb, "bpf_skb_vlan_pop", SkbShapeHelpers::vlanPop));
        into.put(CHANGE_PROTO, (ctx, skb, proto, flags, d, e) -> shape(ctx, skb, "bpf_skb_change_proto", s -> flags != 0 ? -22 : changeProto(s, swap16(proto))));
        into.put(CHANGE_TAIL, (ctx, skb, len, flags, d, e) -> shape(ctx, skb, "bpf_skb_change_tail", s -> changeTail(s, HelperArgs.u32(len), flags)));
        into.put(CHANGE_HEAD, (ctx, skb, room, flags, d, e) -> shape(ctx, skb, "bpf_skb_change_head", s -> changeHead(s, HelperArgs.u32(room), flags)));
        into.put(ADJUST_ROOM, (ctx, skb, diff, mode, flags, e) -> shape(ctx, skb, "bpf_skb_adjust_room", s -> adjustRoom(s, (int) diff, HelperArgs.u32(mode), flags)));
    }

    private interface Change {
        long apply(Skb s);
    }

    private static long shape(HelperContext ctx, long skb, String name, Change change) {
        PacketRun run = HelperArgs.context(ctx, skb, name);
        long r = change.apply(run.skb());
        run.boundsChanged(ctx);
        return r;
    }

    /** A __be16 argument as the program passes it (the raw little-endian load) to host order. */
    private static int swap16(long v) {
        return Short.toUnsignedInt(Short.reverseBytes((short) v));
    }

    // ---- VLAN (skb_vlan_push / skb_vlan_pop)

    private static long vlanPush(Skb s, int proto, int tci) {
        if (!VlanTags.isVlan(proto)) {
            proto = VlanTags.ETH_P_8021Q;
        }
        if (s.vlanPresent) {
            if (s.macOffset() != 0) {
                return -22;
            }
            VlanTags.insertHeld(s); // the recorded tag goes into the packet after the MAC addresses
        }
        s.vlanProto = proto;
        s.vlanTci = tci;
        s.vlanPresent = true;
        return 0;
    }

    private static long vlanPop(Skb s) {
        if (s.vlanPresent) {
            s.vlanPresent = false;
            s.vlanTci = 0;
            s.vlanProto = 0;
        } else {
            if (!VlanTags.isVlan(s.protocol)) {
                return 0;
            }
            long err = popTag(s);
            if (err != 0) {
                return err;
            }
        }
        if (!VlanTags.isVlan(s.protocol)) {
            return 0;
        }
        int proto = s.protocol;
        int tci = s.length() >= 16 ? s.be16At(14) : 0;
        long err = popTag(s);
        if (err != 0) {
            return err;
        }
        s.vlanProto = proto;
        s.vlanTci = tci;
        s.vlanPresent = true;
        return 0;
    }

    /** __skb_vlan_pop: the packet's outer tag comes out; skb->protocol becomes the encapsulated one. */
    private static long popTag(Skb s) {
        if (s.macOffset() != 0) {
            return -22;
        }
        if (s.length() < 18) {
            return -12; // skb_ensure_writable(VLAN_ETH_HLEN) fails
        }
        s.protocol = VlanTags.encapsulated(s, 16);
        VlanTags.pullTag(s, 0);
        return 0;
    }

    // ---- bpf_skb_change_proto (4 <-> 6: 20 bytes after the MAC header go in or out)

    private static long changeProto(Skb s, int to) {
        int off = s.networkOffset() - s.macOffset();
        int diff = IPV6_HLEN - IPV4_HLEN;
        if (s.protocol == ETH_P_IP && to == ETH_P_IPV6) {
            netHeaderPush(s, off, diff);
            s.protocol = ETH_P_IPV6;
        } else if (s.protocol == ETH_P_IPV6 && to == ETH_P_IP) {
            long err = netHeaderPop(s, off, diff);
            if (err != 0) {
                return err;
            }
            s.protocol = ETH_P_IP;
        } else {
            return -524; // ENOTSUPP
        }
        SkbMetaHelpers.clearHash(s);
        return 0;
    }

    /** bpf_skb_net_hdr_push: {@code len} zero bytes at {@code off} from the MAC header, which moves back. */
    private static void netHeaderPush(Skb s, int off, int len) {
        boolean transSame = s.transportOffset() == s.networkOffset();
        int mac = s.macOffset();
        int net = s.networkOffset();
        s.reserve(len, 0);
        s.push(len);
        MemorySegment b = s.bytes();
        MemorySegment.copy(b, len, b, 0, off);
        b.asSlice(off, len).fill((byte) 0);
        s.setMacOffset(mac);
        s.setNetworkOffset(net);
        if (transSame) {
            s.setTransportOffset(net);
        }
    }

    /** bpf_skb_net_hdr_pop: {@code len} bytes at {@code off} come out; the MAC header moves forward. */
    private static long netHeaderPop(Skb s, int off, int len) {
        if (off + len > s.length()) {
            return -12;
        }
        boolean transSame = s.transportOffset() == s.networkOffset();
        int mac = s.macOffset();
        int net = s.networkOffset();
        MemorySegment b = s.bytes();
        MemorySegment.copy(b, 0, b, len, off);
        s.pull(len);
        s.setMacOffset(mac);
        s.setNetworkOffset(net);
        if (transSame) {
            s.setTransportOffset(net);
        }
        return 0;
    }

    // ---- bpf_skb_change_tail / bpf_skb_change_head

    /**
     * __bpf_skb_max_len: SKB_MAX_ALLOC whatever the device (the kernel dropped the MTU check here in
     * 5.10; bpf_check_mtu is the helper for that now).
     */
    private static long maxLength(Skb s) {
        return SKB_MAX_ALLOC;
    }

    private static long changeTail(Skb s, long newLen, long flags) {
        long min = s.transportOffset() >= 0 ? s.transportOffset() : s.networkOffset();
        if (flags != 0 || newLen > maxLength(s) || newLen < min) {
            return -22;
        }
        if (s.encapsulation) {
            return -524;
        }
        if (newLen > s.length()) {
            int grow = (int) (newLen - s.length());
            s.reserve(0, grow);
            s.put(grow);
        } else if (newLen < s.length()) {
            s.trim((int) newLen);
        }
        return 0;
    }

    private static long changeHead(Skb s, long room, long flags) {
        long newLen = s.length() + room;
        if (flags != 0 || newLen > maxLength(s) || room > Integer.MAX_VALUE) {
            return -22;
        }
        int n = (int) room;
        int net = s.networkOffset();
        s.reserve(n, 0);
        s.push(n);
        s.bytes().asSlice(0, n).fill((byte) 0);
        s.setMacOffset(0);
        s.setNetworkOffset(net + n);
        return 0;
    }

    // ---- bpf_skb_adjust_room

    private static long adjustRoom(Skb s, int lenDiff, long mode, long flags) {
        long abs = Math.abs((long) lenDiff);
        boolean shrink = lenDiff < 0;
        if ((flags & ~(ADJ_ROOM_MASK | ADJ_NO_CSUM_RESET)) != 0) {
            return -22;
        }
        if (abs > 0xfff) {
            return -14;
        }
        if (s.protocol != ETH_P_IP && s.protocol != ETH_P_IPV6) {
            return -524;
        }
        long base = s.protocol == ETH_P_IP ? IPV4_HLEN : IPV6_HLEN;
        long minLen = base;
        int off = s.networkOffset() - s.macOffset();
        if (mode == ADJ_ROOM_NET) {
            off += (int) base;
        } else if (mode != ADJ_ROOM_MAC) {
            return -524;
        }
        if ((flags & ADJ_DECAP_L3_MASK) != 0) {
            if (!shrink) {
                return -22;
            }
            long decap = flags & ADJ_DECAP_L3_MASK;
            if (decap == ADJ_DECAP_L3_IPV4) {
                minLen = IPV4_HLEN;
            } else if (decap == ADJ_DECAP_L3_IPV6) {
                minLen = IPV6_HLEN;
            } else {
                return -22;
            }
        }
        long cur = s.length() - s.networkOffset();
        if (shrink && (abs >= cur || cur - abs < minLen) || !shrink && s.length() + abs > SKB_MAX_ALLOC && s.gsoSize == 0) {
            return -524;
        }
        long r = shrink ? netShrink(s, off, (int) abs, flags) : netGrow(s, off, (int) abs, flags);
        if (r == 0 && s.gsoSize != 0) {
            // the segments' headers changed: unless told to keep it, the segment size gives or takes what
            // they did (so the segments keep their length on the wire), and they are to be counted again
            int size = (flags & ADJ_FIXED_GSO) != 0 ? s.gsoSize : shrink ? s.gsoSize + (int) abs : s.gsoSize - (int) abs;
            s.gsoTcp(0, size);
        }
        if (r == 0 && (flags & ADJ_NO_CSUM_RESET) == 0 && s.ipSummed == ChecksumHelpers.CHECKSUM_UNNECESSARY) {
            s.csumLevel = 0;
        }
        return r;
    }

    /**
     * A large segment whose type is not TCP: only UDP GSO with BPF_F_ADJ_ROOM_FIXED_GSO may have its
     * headers moved, and jxdp never holds UDP GSO (a test run's gso_size has no type at all).
     */
    private static boolean untypedLargeSegment(Skb s) {
        return s.gsoSize != 0 && !s.gsoTcp;
    }

    private static long netGrow(Skb s, int off, int len, long flags) {
        if (untypedLargeSegment(s)) {
            return -524;
        }
        int innerMacLen = (int) (flags >>> 56) & 0xff;
        boolean encap = (flags & ADJ_ENCAP_L3_MASK) != 0;
        int macLen = 0;
        if (encap) {
            if ((flags & ADJ_ENCAP_L3_IPV4) != 0 && (flags & ADJ_ENCAP_L3_IPV6) != 0
                    || (flags & ADJ_ENCAP_L4_GRE) != 0 && (flags & ADJ_ENCAP_L4_UDP) != 0
                    || (flags & ADJ_ENCAP_L2_ETH) != 0 && innerMacLen < XdpBuff.ETH_HLEN) {
                return -22;
            }
            if (s.encapsulation) {
                return -114; // EALREADY
            }
            macLen = s.networkOffset() - s.macOffset();
            if (innerMacLen > len) {
                return -22;
            }
        }
        netHeaderPush(s, off, len);
        if (encap) {
            s.encapsulation = true;
            s.setNetworkOffset(s.macOffset() + macLen);
            if ((flags & (ADJ_ENCAP_L4_GRE | ADJ_ENCAP_L4_UDP)) != 0) {
                int nh = (flags & ADJ_ENCAP_L3_IPV6) != 0 ? IPV6_HLEN : IPV4_HLEN;
                s.setTransportOffset(s.macOffset() + macLen + nh);
            }
            if (s.protocol == ETH_P_IP && (flags & ADJ_ENCAP_L3_IPV6) != 0) {
                s.protocol = ETH_P_IPV6;
            } else if (s.protocol == ETH_P_IPV6 && (flags & ADJ_ENCAP_L3_IPV4) != 0) {
                s.protocol = ETH_P_IP;
            }
        }
        return 0;
    }

    private static long netShrink(Skb s, int off, int len, long flags) {
        if ((flags & ~(ADJ_FIXED_GSO | ADJ_DECAP_L3_MASK | ADJ_NO_CSUM_RESET)) != 0) {
            return -22;
        }
        if (untypedLargeSegment(s)) {
            return -524;
        }
        long err = netHeaderPop(s, off, len);
        if (err != 0) {
            return err;
        }
        if (s.protocol == ETH_P_IP && (flags & ADJ_DECAP_L3_IPV6) != 0) {
            s.protocol = ETH_P_IPV6;
        } else if (s.protocol == ETH_P_IPV6 && (flags & ADJ_DECAP_L3_IPV4) != 0) {
            s.protocol = ETH_P_IP;
        }
        return 0;
    }
}
