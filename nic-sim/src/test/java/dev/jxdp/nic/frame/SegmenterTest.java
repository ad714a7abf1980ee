package dev.jxdp.nic.frame;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Software segmentation and checksum completion, against the rules the kernel's tcp_gso_segment and
 * skb_checksum_help follow (RFC 793/9293 sequence numbers, RFC 791 and 8200 lengths, RFC 1071
 * checksums): every checksum here is checked by an independent byte-at-a-time RFC 1071 sum, itself
 * checked on RFC 1071's worked example.
 */
class SegmenterTest {
    private final FramePool pool = new FramePool("seg", new FrameLayout(256, 65_664, 320), 16);

    @AfterEach
    void close() {
        assertEquals(0, pool.inUse(), "every frame released");
        pool.close();
    }

    /** RFC 1071's one's complement sum, one 16-bit word at a time. */
    private static int rfc1071(byte[] b, int from, int to, long start) {
        long sum = start;
        for (int i = from; i < to; i += 2) {
            int hi = b[i] & 0xff;
            int lo = i + 1 < to ? b[i + 1] & 0xff : 0;
            sum += hi << 8 | lo;
        }
        while (sum >>> 16 != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) sum;
    }

    @Test
    void theIndependentSumAndOursAgreeOnRfc1071sExample() {
        // RFC 1071 section 3: the bytes 00 01 f2 03 f4 f5 f6 f7 sum to ddf2
        byte[] ex = HexFormat.of().parseHex("0001f203f4f5f6f7");
        assertEquals(0xddf2, rfc1071(ex, 0, ex.length, 0));
        Frame f = frame(ex);
        assertEquals(0xddf2, Segmenter.fold(Segmenter.sum(f.buffer(), f.offset(), ex.length, 0)));
        f.release();
    }

    private Frame frame(byte[] bytes) {
        Frame f = pool.allocate();
        f.copyFrom(bytes);
        return f;
    }

    private static byte[] payload(int n) {
        byte[] p = new byte[n];
        new Random(n).nextBytes(p);
        return p;
    }

    /** Ethernet (with VLAN tags), then IPv4 (id, DF), TCP with 12 bytes of options (NOP, NOP, timestamps), payload. */
    private static byte[] tcp4(int id, int seq, int flags, byte[] payload, int... vlans) {
        ByteBuffer b = ByteBuffer.allocate(14 + 4 * vlans.length + 20 + 32 + payload.length);
        ethernet(b, 0x0800, vlans);
        int l3 = b.position();
        b.put((byte) 0x45).put((byte) 0).putShort((short) (20 + 32 + payload.length)).putShort((short) id).putShort((short) 0x4000)
                .put((byte) 64).put((byte) 6).putShort((short) 0).put(new byte[] {10, 0, 0, 1}).put(new byte[] {10, 0, 0, 2});
        tcp(b, seq, flags, payload);
        byte[] a = b.array();
        int c = ~rfc1071(a, l3, l3 + 20, 0) & 0xffff;
        a[l3 + 10] = (byte) (c >> 8);
        a[l3 + 11] = (byte) c;
        return a;
    }

    private static byte[] tcp6(int seq, int flags, byte[] payload, int... vlans) {
        ByteBuffer b = ByteBuffer.allocate(14 + 4 * vlans.length + 40 + 32 + payload.length);
        ethernet(b, 0x86dd, vlans);
        b.putInt(0x60000000).putShort((short) (32 + payload.length)).put((byte) 6).put((byte) 64);
        b.put(HexFormat.of().parseHex("20010db8000000000000000000000001")).put(HexFormat.of().parseHex("20010db8000000000000000000000002"));
        tcp(b, seq, flags, payload);
        return b.array();
    }

    private static void ethernet(ByteBuffer b, int type, int... vlans) {
        b.put(new byte[] {2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1});
        for (int v : vlans) {
            b.putShort((short) 0x8100).putShort((short) v);
        }
        b.putShort((short) type);
    }

    private static void tcp(ByteBuffer b, int seq, int flags, byte[] payload) {
        b.putShort((short) 8080).putShort((short) 40000).putInt(seq).putInt(77).put((byte) (8 << 4)).put((byte) flags)
                .putShort((short) 501).putShort((short) 0x1234).putShort((short) 0); // checksum: whatever the sender left
        b.put(new byte[] {1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2}).put(payload);
    }

    private List<byte[]> apply(Frame f) throws Exception {
        List<byte[]> out = new ArrayList<>();
        Segmenter.apply(f, pool, s -> out.add(s.toByteArray()));
        return out;
    }

    private static int be16(byte[] b, int at) {
        return (b[at] & 0xff) << 8 | b[at + 1] & 0xff;
    }

    private static int be32(byte[] b, int at) {
        return be16(b, at) << 16 | be16(b, at + 2);
    }

    /** The TCP checksum of a segment verifies: pseudo-header (v4 or v6) plus the segment sums to ffff. */
    private static void assertTcpChecksum(byte[] s, int l3, int l4, boolean v4) {
        int tcpLength = s.length - l4;
        long pseudo = v4 ? rfc1071(s, l3 + 12, l3 + 20, 0) : rfc1071(s, l3 + 8, l3 + 40, 0);
        pseudo += 6 + tcpLength;
        assertEquals(0xffff, rfc1071(s, l4, s.length, pseudo), "TCP checksum");
    }

    @Test
    void aTcpOverIpv4SegmentIsCutAsTheKernelCutsIt() throws Exception {
        byte[] data = payload(3000);
        int cwrPshAckFin = 0x80 | 0x08 | 0x10 | 0x01;
        Frame f = frame(tcp4(0x1234, 1000, cwrPshAckFin, data));
        f.setOffload(Offload.F_NEEDS_CSUM, Offload.GSO_TCPV4, 66, 1448, 34, 16);
        List<byte[]> segs = apply(f);
        f.release();

        assertEquals(3, segs.size());
        int[] sizes = {1448, 1448, 104};
        int[] flags = {0x80 | 0x10, 0x10, 0x08 | 0x10 | 0x01}; // CWR on the first only, PSH and FIN on the last only
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        for (int i = 0; i < 3; i++) {
            byte[] s = segs.get(i);
            assertEquals(14 + 20 + 32 + sizes[i], s.length);
            assertEquals(20 + 32 + sizes[i], be16(s, 16), "IPv4 total length");
            assertEquals(0x1234 + i, be16(s, 18), "IPv4 id counts up");
            assertEquals(0x4000, be16(s, 20), "DF kept");
            assertEquals(0xffff, rfc1071(s, 14, 34, 0), "IPv4 header checksum");
            assertEquals(1000 + 1448 * i, be32(s, 38), "sequence number");
            assertEquals(77, be32(s, 42), "ack kept");
            assertEquals(flags[i], s[47] & 0xff, "flags of segment " + i);
            assertArrayEquals(HexFormat.of().parseHex("0101080a0000000100000002"), java.util.Arrays.copyOfRange(s, 54, 66), "options kept");
            assertTcpChecksum(s, 14, 34, true);
            joined.write(s, 66, sizes[i]);
        }
        assertArrayEquals(data, joined.toByteArray());
    }

    @Test
    void aTcpOverIpv6SegmentBehindAVlanTagIsCutAndItsPayloadLengthsSet() throws Exception {
        byte[] data = payload(4000);
        Frame f = frame(tcp6(-100, 0x18, data, 0x0064)); // PSH|ACK, a sequence number that wraps
        f.setOffload(Offload.F_NEEDS_CSUM, Offload.GSO_TCPV6 | Offload.GSO_ECN, 90, 1428, 18 + 40, 16);
        List<byte[]> segs = apply(f);
        f.release();

        assertEquals(3, segs.size());
        int[] sizes = {1428, 1428, 1144};
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        for (int i = 0; i < 3; i++) {
            byte[] s = segs.get(i);
            assertEquals(0x8100, be16(s, 12));
            assertEquals(0x86dd, be16(s, 16));
            assertEquals(32 + sizes[i], be16(s, 18 + 4), "IPv6 payload length");
            assertEquals(-100 + 1428 * i, be32(s, 58 + 4), "sequence number");
            assertEquals(i == 2 ? 0x18 : 0x10, s[58 + 13] & 0xff);
            assertTcpChecksum(s, 18, 58, false);
            joined.write(s, 90, sizes[i]);
        }
        assertArrayEquals(data, joined.toByteArray());
    }

    @Test
    void aPartialUdpChecksumIsCompletedInPlace() throws Exception {
        // IPv4/UDP, 7 bytes of payload; the checksum field holds the pseudo-header's folded sum, as the kernel leaves it for CHECKSUM_PARTIAL
        byte[] udpPayload = "jxdp!!?".getBytes();
        ByteBuffer b = ByteBuffer.allocate(14 + 20 + 8 + udpPayload.length);
        ethernet(b);
        b.put((byte) 0x45).put((byte) 0).putShort((short) (28 + udpPayload.length)).putShort((short) 1).putShort((short) 0)
                .put((byte) 64).put((byte) 17).putShort((short) 0).put(new byte[] {10, 0, 0, 1}).put(new byte[] {10, 0, 0, 2});
        b.putShort((short) 5000).putShort((short) 53).putShort((short) (8 + udpPayload.length)).putShort((short) 0).put(udpPayload);
        byte[] a = b.array();
        int pseudo = rfc1071(a, 26, 34, 17 + 8 + udpPayload.length);
        a[40] = (byte) (pseudo >> 8);
        a[41] = (byte) pseudo;
        Frame f = frame(a);
        f.setOffload(Offload.F_NEEDS_CSUM, Offload.GSO_NONE, 0, 0, 34, 6);
        List<byte[]> out = apply(f);
        assertEquals(1, out.size());
        byte[] s = out.getFirst();
        assertEquals(0xffff, rfc1071(s, 34, s.length, rfc1071(s, 26, 34, 17 + s.length - 34)), "UDP checksum verifies");
        assertTrue(!f.needsOffload(), "done: nothing left to do");
        f.release();
    }

    private static void ethernet(ByteBuffer b) {
        ethernet(b, 0x0800);
    }

    @Test
    void whatItCannotDoIsRefusedAndNothingSent() {
        Frame f = frame(tcp4(1, 1, 0x10, payload(3000)));
        f.setOffload(Offload.F_NEEDS_CSUM, Offload.GSO_UDP_L4, 42, 1400, 34, 6);
        List<byte[]> out = new ArrayList<>();
        assertThrows(Segmenter.OffloadException.class, () -> Segmenter.apply(f, pool, s -> out.add(s.toByteArray())));
        // TCPV4 on an IPv6 frame
        Frame g = frame(tcp6(1, 0x10, payload(3000)));
        g.setOffload(Offload.F_NEEDS_CSUM, Offload.GSO_TCPV4, 86, 1400, 54, 16);
        assertThrows(Segmenter.OffloadException.class, () -> Segmenter.apply(g, pool, s -> out.add(s.toByteArray())));
        assertEquals(0, out.size());
        f.release();
        g.release();
    }

    @Test
    void theChecksumStartStaysOnItsByteWhenAProgramMovesTheFrameStart() {
        Frame f = frame(tcp4(1, 1, 0x10, payload(100)));
        f.setOffload(Offload.F_NEEDS_CSUM, Offload.GSO_NONE, 0, 0, 34, 16);
        assertEquals(34, f.csumStart());
        // bpf_xdp_adjust_head(ctx, 14): the Ethernet header cut off, the TCP header 14 bytes nearer the start
        f.setBounds(f.offset() + 14, f.length() - 14, 0);
        assertEquals(20, f.csumStart());
        Frame c = pool.copyOf(f);
        assertEquals(20, c.csumStart(), "a copy keeps it");
        assertEquals(Offload.F_NEEDS_CSUM, c.offloadFlags());
        c.release();
        f.release();
    }
}
