package dev.jxdp.hooks;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

/**
 * Ethernet frames for tests, built with correct IPv4 header checksums and TCP/UDP/ICMP checksums
 * (RFC 791, 768, 793, 792; IPv6 pseudo-header per RFC 8200): IPv4 and IPv6 with TCP, UDP and ICMP,
 * VLAN-tagged, runts and jumbos.
 */
final class TestFrames {
    private TestFrames() {}

    static final byte[] DST = {0x02, 0, 0, 0, 0, 0x02};
    static final byte[] SRC = {0x02, 0, 0, 0, 0, 0x01};
    static final byte[] V4_SRC = {10, 0, 0, 1};
    static final byte[] V4_DST = {10, 0, 0, 2};
    static final byte[] V6_SRC = {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    static final byte[] V6_DST = {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2};
    static final int TCP = 6;
    static final int UDP = 17;
    static final int ICMP = 1;
    static final int ICMPV6 = 58;

    static byte[] ethernet(byte[] dst, int ethertype, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(14 + payload.length);
        b.put(dst).put(SRC).putShort((short) ethertype).put(payload);
        return b.array();
    }

    static byte[] vlan(int tci, int ethertype, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(18 + payload.length);
        b.put(DST).put(SRC).putShort((short) 0x8100).putShort((short) tci).putShort((short) ethertype).put(payload);
        return b.array();
    }

    /** An L4 segment: TCP (SYN, 20-byte header), UDP (8-byte header) or an ICMP echo request, with {@code payload} bytes. */
    static byte[] l4(int protocol, int payload, boolean ipv6) {
        byte[] data = new byte[payload];
        for (int i = 0; i < payload; i++) {
            data[i] = (byte) (i * 7 + 3);
        }
        ByteBuffer b;
        switch (protocol) {
            case TCP -> {
                b = ByteBuffer.allocate(20 + payload);
                b.putShort((short) 40000).putShort((short) 80).putInt(1).putInt(0).put((byte) 0x50).put((byte) 0x02)
                        .putShort((short) 64240).putShort((short) 0).putShort((short) 0).put(data);
            }
            case UDP -> {
                b = ByteBuffer.allocate(8 + payload);
                b.putShort((short) 40000).putShort((short) 53).putShort((short) (8 + payload)).putShort((short) 0).put(data);
            }
            default -> {
                b = ByteBuffer.allocate(8 + payload);
                b.put((byte) (ipv6 ? 128 : 8)).put((byte) 0).putShort((short) 0).putShort((short) 0x1234).putShort((short) 1).put(data);
            }
        }
        return b.array();
    }

    static byte[] ipv4(int protocol, byte[] l4) {
        ByteBuffer ip = ByteBuffer.allocate(20 + l4.length);
        ip.put((byte) 0x45).put((byte) 0).putShort((short) (20 + l4.length)).putShort((short) 0x1234).putShort((short) 0x4000)
                .put((byte) 64).put((byte) protocol).putShort((short) 0).put(V4_SRC).put(V4_DST);
        byte[] out = ip.put(l4).array();
        putShort(out, 10, checksum(out, 0, 20, 0));
        int pseudo = sum(V4_SRC) + sum(V4_DST) + protocol + l4.length;
        l4Checksum(out, 20, protocol, false, pseudo);
        return out;
    }

    static byte[] ipv6(int protocol, byte[] l4) {
        ByteBuffer ip = ByteBuffer.allocate(40 + l4.length);
        ip.putInt(0x60000000).putShort((short) l4.length).put((byte) protocol).put((byte) 64).put(V6_SRC).put(V6_DST);
        byte[] out = ip.put(l4).array();
        int pseudo = sum(V6_SRC) + sum(V6_DST) + l4.length + protocol;
        l4Checksum(out, 40, protocol, true, pseudo);
        return out;
    }

    private static void l4Checksum(byte[] packet, int at, int protocol, boolean ipv6, int pseudo) {
        int field = switch (protocol) {
            case TCP -> 16;
            case UDP -> 6;
            default -> 2;
        };
        boolean withPseudo = protocol != ICMP; // ICMPv4 sums only itself; ICMPv6, TCP, UDP add the pseudo-header
        int c = checksum(packet, at, packet.length - at, withPseudo ? pseudo : 0);
        if (protocol == UDP && c == 0) {
            c = 0xffff;
        }
        putShort(packet, at + field, c);
    }

    private static int sum(byte[] b) {
        int s = 0;
        for (int i = 0; i < b.length; i += 2) {
            s += (b[i] & 0xff) << 8 | (b[i + 1] & 0xff);
        }
        return s;
    }

    /** RFC 1071: the complement of the ones'-complement sum of 16-bit big-endian words. */
    static int checksum(byte[] b, int off, int len, int initial) {
        long s = initial;
        for (int i = 0; i < len; i += 2) {
            s += (b[off + i] & 0xff) << 8 | (i + 1 < len ? b[off + i + 1] & 0xff : 0);
        }
        while ((s >> 16) != 0) {
            s = (s & 0xffff) + (s >> 16);
        }
        return (int) (~s & 0xffff);
    }

    private static void putShort(byte[] b, int at, int v) {
        b[at] = (byte) (v >> 8);
        b[at + 1] = (byte) v;
    }

    static byte[] v4(int protocol, int payload) {
        return ethernet(DST, 0x0800, ipv4(protocol, l4(protocol, payload, false)));
    }

    static byte[] v6(int protocol, int payload) {
        int p = protocol == ICMP ? ICMPV6 : protocol;
        return ethernet(DST, 0x86dd, ipv6(p, l4(p, payload, true)));
    }

    /** A frame of exactly {@code length} bytes: IPv4/UDP padded with payload. */
    static byte[] sized(int length) {
        return v4(UDP, length - 14 - 20 - 8);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
