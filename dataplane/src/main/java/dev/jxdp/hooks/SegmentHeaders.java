package dev.jxdp.hooks;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The headers every segment of a large TCP (or UDP) segment repeats once it is cut: MAC (with any VLAN
 * tags in the data), IPv4 or IPv6, and the TCP header with its options (or UDP's 8 bytes). The kernel
 * counts with them in two places that tc programs see: qdisc_pkt_len_init adds (segments - 1) times
 * their length to wire_len at egress, and TCP (tcp_set_skb_tso_segs) gives a segment it sends gso_segs
 * = its payload over the segment size, rounded up. Measured at a veth's tc egress with
 * programs/bin/tc_gso_probe.o under TCP with timestamps (66 bytes of headers): len 3066, gso_size 1448
 * gives gso_segs 3 and wire_len 3198.
 */
final class SegmentHeaders {
    private SegmentHeaders() {}

    private static final ValueLayout.OfShort BE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final int TCP = 6;
    private static final int UDP = 17;

    /** The headers' length in {@code frame} (an Ethernet frame), or -1 if it is not TCP or UDP over IPv4/IPv6 as far as it goes. */
    static int length(MemorySegment frame) {
        long len = frame.byteSize();
        int at = 12;
        if (len < at + 2) {
            return -1;
        }
        int type = frame.get(BE16, at) & 0xffff;
        while (VlanTags.isVlan(type) && len >= at + 6) {
            at += VlanTags.VLAN_HLEN;
            type = frame.get(BE16, at) & 0xffff;
        }
        int l3 = at + 2;
        int proto;
        int l4;
        if (type == 0x0800 && len >= l3 + 20) {
            proto = frame.get(ValueLayout.JAVA_BYTE, l3 + 9) & 0xff;
            l4 = l3 + (frame.get(ValueLayout.JAVA_BYTE, l3) & 0x0f) * 4;
        } else if (type == 0x86dd && len >= l3 + 40) {
            proto = frame.get(ValueLayout.JAVA_BYTE, l3 + 6) & 0xff; // a TCP segment the kernel offloads has no extension headers
            l4 = l3 + 40;
        } else {
            return -1;
        }
        if (proto == TCP && len >= l4 + 20) {
            return l4 + ((frame.get(ValueLayout.JAVA_BYTE, l4 + 12) & 0xf0) >>> 2);
        }
        if (proto == UDP && len >= l4 + 8) {
            return l4 + 8;
        }
        return -1;
    }

    /** The segments {@code len} bytes with {@code headers} of them cut at {@code gsoSize} make (0 if there is no payload). */
    static int segments(int len, int headers, int gsoSize) {
        int payload = len - headers;
        return headers < 0 || payload <= 0 || gsoSize <= 0 ? 0 : (payload + gsoSize - 1) / gsoSize;
    }

    /** qdisc_pkt_len_init: the skb's length plus the headers of the segments after the first, for a large segment. */
    static int wireLen(Skb s) {
        int len = s.length();
        if (s.gsoSize() == 0) {
            return len;
        }
        int headers = length(s.bytes());
        int segs = segments(len, headers, s.gsoSize());
        return segs == 0 ? len : len + (segs - 1) * headers;
    }
}
