package dev.jxdp.nic.port.gen;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Writes Ethernet/IPv4/UDP frames with correct IPv4 header and UDP checksums (RFC 791, RFC 768 with
 * the pseudo-header; a computed UDP checksum of 0 is sent as 0xffff). The payload starts with a
 * 64-bit sequence number, the rest is zero.
 */
public final class UdpFrames {
    /** Ethernet + IPv4 + UDP headers. */
    public static final int HEADERS = 14 + 20 + 8;
    private static final ValueLayout.OfShort BE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt BE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfLong BE64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private UdpFrames() {}

    /**
     * Writes a frame of {@code length} bytes (at least {@link #HEADERS}) at {@code at} of {@code buf}.
     *
     * @param dstMac and {@code srcMac}: 6 bytes each
     * @param srcIp and {@code dstIp}: IPv4 addresses as big-endian ints
     */
    public static void write(MemorySegment buf, long at, int length, byte[] dstMac, byte[] srcMac, int srcIp, int dstIp, int srcPort,
            int dstPort, long sequence) {
        if (length < HEADERS) {
            throw new IllegalArgumentException("a UDP frame has at least " + HEADERS + " bytes, not " + length);
        }
        MemorySegment.copy(dstMac, 0, buf, ValueLayout.JAVA_BYTE, at, 6);
        MemorySegment.copy(srcMac, 0, buf, ValueLayout.JAVA_BYTE, at + 6, 6);
        buf.set(BE16, at + 12, (short) 0x0800);
        long ip = at + 14;
        int ipLength = length - 14;
        buf.set(BE16, ip, (short) 0x4500);
        buf.set(BE16, ip + 2, (short) ipLength);
        buf.set(BE16, ip + 4, (short) sequence); // identification
        buf.set(BE16, ip + 6, (short) 0x4000); // DF
        buf.set(BE16, ip + 8, (short) (64 << 8 | 17)); // TTL 64, UDP
        buf.set(BE16, ip + 10, (short) 0);
        buf.set(BE32, ip + 12, srcIp);
        buf.set(BE32, ip + 16, dstIp);
        buf.set(BE16, ip + 10, (short) ~sum(buf, ip, 20, 0));
        long udp = ip + 20;
        int udpLength = ipLength - 20;
        buf.set(BE16, udp, (short) srcPort);
        buf.set(BE16, udp + 2, (short) dstPort);
        buf.set(BE16, udp + 4, (short) udpLength);
        buf.set(BE16, udp + 6, (short) 0);
        int payload = udpLength - 8;
        buf.asSlice(udp + 8, payload).fill((byte) 0);
        if (payload >= 8) {
            buf.set(BE64, udp + 8, sequence);
        }
        // pseudo-header: source, destination, zero + protocol, UDP length
        long pseudo = (srcIp >>> 16) + (srcIp & 0xffff) + (dstIp >>> 16) + (dstIp & 0xffff) + 17 + udpLength;
        int c = ~sum(buf, udp, udpLength, pseudo) & 0xffff;
        buf.set(BE16, udp + 6, (short) (c == 0 ? 0xffff : c));
    }

    /** The 16-bit ones' complement sum of {@code length} bytes, folded, starting from {@code initial}. */
    static int sum(MemorySegment buf, long at, int length, long initial) {
        long s = initial;
        int i = 0;
        for (; i + 1 < length; i += 2) {
            s += buf.get(BE16, at + i) & 0xffff;
        }
        if (i < length) {
            s += (buf.get(ValueLayout.JAVA_BYTE, at + i) & 0xff) << 8;
        }
        while ((s >>> 16) != 0) {
            s = (s & 0xffff) + (s >>> 16);
        }
        return (int) s;
    }
}
