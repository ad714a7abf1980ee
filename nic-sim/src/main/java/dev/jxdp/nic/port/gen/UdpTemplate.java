package dev.jxdp.nic.port.gen;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The frames {@link UdpFrames#write} makes, of one length and destination, made faster for the
 * generator's hot loop: the bytes that are the same for every frame are written once into a template,
 * and each frame is the template copied in bulk with its source address and port, IP identification
 * and sequence number patched in. The checksums are ones' complement sums, which add: each is the
 * template's constant part plus the patched fields, so no byte of the frame is summed again
 * (RFC 1071's incremental property, as RFC 1624 uses it).
 */
final class UdpTemplate {
    private static final ValueLayout.OfShort BE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt BE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfLong BE64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final int IP = 14;
    private static final int UDP = IP + 20;

    private final MemorySegment bytes;
    private final int length;
    private final boolean sequenced;
    /** The IPv4 header's sum with source address, identification and checksum zero. */
    private final long ipBase;
    /** The UDP sum (pseudo-header included) with source address, source port, checksum and sequence zero. */
    private final long udpBase;

    UdpTemplate(int length, byte[] dstMac, byte[] srcMac, int dstIp, int dstPort) {
        this.length = length;
        this.bytes = MemorySegment.ofArray(new byte[length]);
        // UdpFrames writes the constant fields; source 0.0.0.0 port 0, sequence 0 leave the variable ones zero
        UdpFrames.write(bytes, 0, length, dstMac, srcMac, 0, dstIp, 0, dstPort, 0);
        bytes.set(BE16, IP + 10, (short) 0);
        bytes.set(BE16, UDP + 6, (short) 0);
        this.sequenced = length - UDP - 8 >= 8;
        this.ipBase = UdpFrames.sum(bytes, IP, 20, 0);
        int udpLength = length - UDP;
        long pseudo = (dstIp >>> 16) + (dstIp & 0xffff) + 17 + udpLength;
        this.udpBase = UdpFrames.sum(bytes, UDP, udpLength, pseudo);
    }

    int length() {
        return length;
    }

    /** What {@code UdpFrames.write(buf, at, length, dstMac, srcMac, srcIp, dstIp, srcPort, dstPort, sequence)} writes. */
    void write(MemorySegment buf, long at, int srcIp, int srcPort, long sequence) {
        MemorySegment.copy(bytes, 0, buf, at, length);
        long src = (srcIp >>> 16) + (srcIp & 0xffff);
        int id = (int) sequence & 0xffff;
        buf.set(BE16, at + IP + 4, (short) id);
        buf.set(BE32, at + IP + 12, srcIp);
        buf.set(BE16, at + IP + 10, (short) ~fold(ipBase + src + id));
        long udp = udpBase + src + (srcPort & 0xffff);
        buf.set(BE16, at + UDP, (short) srcPort);
        if (sequenced) {
            buf.set(BE64, at + UDP + 8, sequence);
            udp += (sequence >>> 48) + (sequence >>> 32 & 0xffff) + (sequence >>> 16 & 0xffff) + (sequence & 0xffff);
        }
        int c = ~fold(udp) & 0xffff;
        buf.set(BE16, at + UDP + 6, (short) (c == 0 ? 0xffff : c));
    }

    /**
     * The ones' complement fold of a sum below 2^32, with no loop: the sums here are a folded base
     * (at most 0xffff) plus at most six 16-bit fields, below 2^19. One fold leaves at most
     * 0xffff + 0xffff = 0x1fffe, the second at most 0xfffe + 1.
     */
    private static int fold(long s) {
        assert s >= 0 && s < 1L << 32 : s;
        s = (s & 0xffff) + (s >>> 16);
        s = (s & 0xffff) + (s >>> 16);
        return (int) s;
    }
}
