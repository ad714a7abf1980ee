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
 *
 * <p>A frame of 50 to 64 bytes (the 64-byte frames of a load test: every variable field lies in the
 * first 64 bytes) is written as eight whole 64-bit words, the constant words of the template with the
 * variable fields put in by shifts, if the buffer has 64 bytes from the frame's start: a bulk copy
 * followed by narrow stores into the words it had just written cost about three times as much per
 * frame (measured, see the perf README), which at tens of millions of frames a second was a quarter of
 * a worker's time. The bytes past the frame's length up to 64 are the template's zeros, in the
 * buffer's free room.
 */
final class UdpTemplate {
    private static final ValueLayout.OfShort BE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt BE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfLong BE64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfLong LE64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final int IP = 14;
    private static final int UDP = IP + 20;
    /** The shortest frame whose sequence number (at UDP + 8, 8 bytes) is written, and the block written whole. */
    private static final int BLOCK_MIN = UDP + 16;
    private static final int BLOCK = 64;

    private final MemorySegment bytes;
    private final int length;
    private final boolean sequenced;
    /** The IPv4 header's sum with source address, identification and checksum zero. */
    private final long ipBase;
    /** The UDP sum (pseudo-header included) with source address, source port, checksum and sequence zero. */
    private final long udpBase;
    /** Whether frames are written as one block ({@link #writeBlock}), and its words, little-endian, variable fields zero. */
    private final boolean block;
    private final long w0, w1, w2, w3, w4, w5, w6, w7;

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
        this.block = length >= BLOCK_MIN && length <= BLOCK;
        MemorySegment padded = MemorySegment.ofArray(new byte[BLOCK]);
        MemorySegment.copy(bytes, 0, padded, 0, Math.min(length, BLOCK));
        this.w0 = padded.get(LE64, 0);
        this.w1 = padded.get(LE64, 8);
        this.w2 = padded.get(LE64, 16);
        this.w3 = padded.get(LE64, 24);
        this.w4 = padded.get(LE64, 32);
        this.w5 = padded.get(LE64, 40);
        this.w6 = padded.get(LE64, 48);
        this.w7 = padded.get(LE64, 56);
    }

    int length() {
        return length;
    }

    /** What {@code UdpFrames.write(buf, at, length, dstMac, srcMac, srcIp, dstIp, srcPort, dstPort, sequence)} writes. */
    void write(MemorySegment buf, long at, int srcIp, int srcPort, long sequence) {
        if (block && at + BLOCK <= buf.byteSize()) {
            writeBlock(buf, at, srcIp, srcPort, sequence);
            return;
        }
        MemorySegment.copy(bytes, 0, buf, at, length);
        long src = (srcIp >>> 16) + (srcIp & 0xffff);
        int id = (int) sequence & 0xffff;
        buf.set(BE16, at + IP + 4, (short) id);
        buf.set(BE32, at + IP + 12, srcIp);
        buf.set(BE16, at + IP + 10, (short) ipChecksum(src, id));
        buf.set(BE16, at + UDP, (short) srcPort);
        if (sequenced) {
            buf.set(BE64, at + UDP + 8, sequence);
        }
        buf.set(BE16, at + UDP + 6, (short) udpChecksum(src, srcPort, sequence));
    }

    /**
     * A frame of {@link #BLOCK_MIN} to {@link #BLOCK} bytes as eight words: the fields' offsets in the
     * frame are IPv4 identification 18, header checksum 24, source address 26, UDP source port 34,
     * checksum 40, sequence number 42 to 49; a big-endian field at byte {@code 8k + b} of the frame is
     * its byte-reversed value shifted left by {@code 8b} in little-endian word {@code k}.
     */
    private void writeBlock(MemorySegment buf, long at, int srcIp, int srcPort, long sequence) {
        long src = (srcIp >>> 16) + (srcIp & 0xffff);
        int id = (int) sequence & 0xffff;
        long seq = Long.reverseBytes(sequence);
        buf.set(LE64, at, w0);
        buf.set(LE64, at + 8, w1);
        buf.set(LE64, at + 16, w2 | be16(id) << 16);
        buf.set(LE64, at + 24, w3 | be16(ipChecksum(src, id)) | (Integer.reverseBytes(srcIp) & 0xffff_ffffL) << 16);
        buf.set(LE64, at + 32, w4 | be16(srcPort) << 16);
        buf.set(LE64, at + 40, w5 | be16(udpChecksum(src, srcPort, sequence)) | seq << 16);
        buf.set(LE64, at + 48, w6 | seq >>> 48);
        buf.set(LE64, at + 56, w7);
    }

    /** The IPv4 header checksum for a source address whose 16-bit halves add up to {@code src}, and identification {@code id}. */
    private int ipChecksum(long src, int id) {
        return ~fold(ipBase + src + id) & 0xffff;
    }

    /** The UDP checksum for that source, source port and sequence number (in the payload if it fits); 0 is sent as 0xffff (RFC 768). */
    private int udpChecksum(long src, int srcPort, long sequence) {
        long udp = udpBase + src + (srcPort & 0xffff);
        if (sequenced) {
            udp += (sequence >>> 48) + (sequence >>> 32 & 0xffff) + (sequence >>> 16 & 0xffff) + (sequence & 0xffff);
        }
        int c = ~fold(udp) & 0xffff;
        return c == 0 ? 0xffff : c;
    }

    /** The two bytes of {@code v} in network order, as the low 16 bits of a little-endian word. */
    private static long be16(int v) {
        return Short.reverseBytes((short) v) & 0xffffL;
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
