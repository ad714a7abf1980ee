package dev.jxdp.nic.frame;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Software offloads, for a frame with a virtio-net header's work left in it (a large segment, or a
 * checksum to fill in) that leaves by a port which cannot hand that work on: a tap opened without
 * IFF_VNET_HDR, a UDP wire, a pcap sink, a packet socket. What the kernel does in
 * {@code validate_xmit_skb} for a device without the features: TCP segmentation as
 * {@code tcp_gso_segment} cuts (each segment gso_size bytes of payload, the sequence number moved on,
 * FIN and PSH only on the last, CWR only on the first, IPv4's id counting up, lengths and IPv4 header
 * checksum rewritten, the TCP checksum computed whole), and a partial checksum completed as
 * {@code skb_checksum_help} completes it (the one's complement sum from csum_start to the end, the
 * pseudo-header's sum already in place; a result of 0 written as 0xffff).
 *
 * <p>TCP over IPv4 and IPv6 (one VLAN tag or two allowed in front) is segmented; any other gso_type
 * (UFO, USO: a tap is never asked for them) is refused with an {@link OffloadException}. For IPv6 the
 * pseudo-header takes the fixed header's destination: a routing header's final destination is not
 * looked for.
 */
public final class Segmenter {
    private static final ValueLayout.OfShort BE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt BE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final int ETH_P_IP = 0x0800;
    private static final int ETH_P_IPV6 = 0x86dd;
    private static final int ETH_P_8021Q = 0x8100;
    private static final int ETH_P_8021AD = 0x88a8;
    private static final int IPPROTO_TCP = 6;

    /** Where the frames go: a port's transmit (one at a time; the segmenter releases each after). */
    @FunctionalInterface
    public interface Sink {
        void send(Frame frame) throws IOException;
    }

    /** A frame whose offload this cannot do (an unknown gso_type, headers that do not add up): it is not sent. */
    public static final class OffloadException extends IOException {
        public OffloadException(String message) {
            super(message);
        }
    }

    private Segmenter() {}

    /**
     * Does {@code f}'s offload and sends the result to {@code sink}: the frame itself with its
     * checksum completed, or its segments in buffers from {@code pool} (each released after the sink
     * took it; {@code f} stays the caller's). Returns how many frames were sent.
     *
     * @throws OffloadException if the offload cannot be done (nothing was sent), or {@code pool} had no
     *     buffer for a segment (the segments before it were sent)
     * @throws IOException what the sink threw
     */
    public static int apply(Frame f, FramePool pool, Sink sink) throws IOException {
        if (f.gsoType() == Offload.GSO_NONE) {
            completeChecksum(f);
            sink.send(f);
            return 1;
        }
        return switch (Offload.type(f.gsoType())) {
            case Offload.GSO_TCPV4, Offload.GSO_TCPV6 -> segmentTcp(f, pool, sink);
            default -> throw new OffloadException("gso_type " + f.gsoType() + " (only TCP segments are cut in software)");
        };
    }

    /** Fills in a NEEDS_CSUM frame's checksum in place and forgets the offload. */
    public static void completeChecksum(Frame f) throws OffloadException {
        if ((f.offloadFlags() & Offload.F_NEEDS_CSUM) != 0) {
            int start = f.csumStart();
            int at = start + f.csumOffset();
            if (start < 0 || at + 2 > f.length()) {
                throw new OffloadException("checksum at " + start + "+" + f.csumOffset() + " is outside the " + f.length() + "-byte frame");
            }
            MemorySegment b = f.buffer();
            long base = f.offset();
            int sum = fold(sum(b, base + start, f.length() - start, 0));
            b.set(BE16, base + at, (short) (sum == 0xffff ? 0xffff : ~sum));
        }
        f.clearOffload();
    }

    private static int segmentTcp(Frame f, FramePool pool, Sink sink) throws IOException {
        MemorySegment b = f.buffer();
        long base = f.offset();
        int len = f.length();
        int l3 = 14;
        int type = len >= 14 ? Short.toUnsignedInt(b.get(BE16, base + 12)) : 0;
        while ((type == ETH_P_8021Q || type == ETH_P_8021AD) && l3 + 4 <= len) {
            type = Short.toUnsignedInt(b.get(BE16, base + l3 + 2));
            l3 += 4;
        }
        boolean v4 = Offload.type(f.gsoType()) == Offload.GSO_TCPV4;
        if (type != (v4 ? ETH_P_IP : ETH_P_IPV6)) {
            throw new OffloadException("gso_type " + f.gsoType() + " on a frame of ethertype 0x" + Integer.toHexString(type));
        }
        int l4;
        if (f.csumStart() >= 0) {
            l4 = f.csumStart();
        } else if (v4 && l3 + 20 <= len) {
            l4 = l3 + (b.get(ValueLayout.JAVA_BYTE, base + l3) & 0xf) * 4;
        } else if (!v4 && l3 + 40 <= len && b.get(ValueLayout.JAVA_BYTE, base + l3 + 6) == IPPROTO_TCP) {
            l4 = l3 + 40;
        } else {
            throw new OffloadException("a TCP segment without csum_start whose TCP header is not found");
        }
        if (l4 < l3 + (v4 ? 20 : 40) || l4 + 20 > len) {
            throw new OffloadException("TCP header at " + l4 + " does not fit the " + len + "-byte frame");
        }
        if (v4 && b.get(ValueLayout.JAVA_BYTE, base + l3 + 9) != IPPROTO_TCP) {
            throw new OffloadException("gso_type TCPV4 on an IPv4 packet that is not TCP");
        }
        int headers = l4 + ((b.get(ValueLayout.JAVA_BYTE, base + l4 + 12) >> 4) & 0xf) * 4;
        int mss = f.gsoSize();
        if (headers > len || headers < l4 + 20 || mss == 0) {
            throw new OffloadException("TCP segment with headers of " + headers + " bytes in " + len + ", gso_size " + mss);
        }
        int payload = len - headers;
        int seq = b.get(BE32, base + l4 + 4);
        int id = v4 ? Short.toUnsignedInt(b.get(BE16, base + l3 + 4)) : 0;
        int flags = b.get(ValueLayout.JAVA_BYTE, base + l4 + 13) & 0xff;
        int count = Math.max(1, (payload + mss - 1) / mss);
        for (int i = 0; i < count; i++) {
            int from = i * mss;
            int segPayload = Math.min(mss, payload - from);
            Frame s = pool.allocate();
            if (s == null) {
                throw new OffloadException("no free buffer for segment " + (i + 1) + " of " + count);
            }
            try {
                if (headers + segPayload > s.maxLength()) {
                    throw new OffloadException("a segment of " + (headers + segPayload) + " bytes does not fit a buffer");
                }
                MemorySegment o = s.buffer();
                long ob = s.offset();
                MemorySegment.copy(b, base, o, ob, headers);
                MemorySegment.copy(b, base + headers + from, o, ob + headers, segPayload);
                s.setLength(headers + segPayload);
                s.setReceived(f.ingressIfindex(), f.rxQueue(), f.hash());
                s.setTimestampNanos(f.timestampNanos());
                s.setMark(f.mark());
                int segFlags = flags;
                if (i < count - 1) {
                    segFlags &= ~(0x01 | 0x08); // FIN and PSH stay with the last segment
                }
                if (i > 0) {
                    segFlags &= ~0x80; // CWR only on the first
                }
                o.set(ValueLayout.JAVA_BYTE, ob + l4 + 13, (byte) segFlags);
                o.set(BE32, ob + l4 + 4, seq + from);
                int tcpLength = headers - l4 + segPayload;
                long pseudo;
                if (v4) {
                    o.set(BE16, ob + l3 + 2, (short) (headers - l3 + segPayload));
                    o.set(BE16, ob + l3 + 4, (short) (id + i));
                    o.set(BE16, ob + l3 + 10, (short) 0);
                    int ihl = (o.get(ValueLayout.JAVA_BYTE, ob + l3) & 0xf) * 4;
                    o.set(BE16, ob + l3 + 10, (short) ~fold(sum(o, ob + l3, ihl, 0)));
                    pseudo = sum(o, ob + l3 + 12, 8, 0) + IPPROTO_TCP + tcpLength;
                } else {
                    o.set(BE16, ob + l3 + 4, (short) (headers - l3 - 40 + segPayload));
                    pseudo = sum(o, ob + l3 + 8, 32, 0) + IPPROTO_TCP + tcpLength;
                }
                o.set(BE16, ob + l4 + 16, (short) 0);
                o.set(BE16, ob + l4 + 16, (short) ~fold(sum(o, ob + l4, tcpLength, pseudo)));
                sink.send(s);
            } finally {
                s.release();
            }
        }
        return count;
    }

    /** The 16-bit one's complement sum's pieces of {@code length} bytes at {@code at}, added to {@code acc} (not folded). */
    static long sum(MemorySegment m, long at, int length, long acc) {
        long s = acc;
        int i = 0;
        for (; i + 4 <= length; i += 4) {
            s += Integer.toUnsignedLong(m.get(BE32, at + i));
        }
        if (i + 2 <= length) {
            s += Short.toUnsignedInt(m.get(BE16, at + i));
            i += 2;
        }
        if (i < length) {
            s += (m.get(ValueLayout.JAVA_BYTE, at + i) & 0xff) << 8;
        }
        return s;
    }

    /** Folds a sum to 16 bits. */
    static int fold(long s) {
        while ((s >>> 16) != 0) {
            s = (s & 0xffff) + (s >>> 16);
        }
        return (int) s;
    }
}
