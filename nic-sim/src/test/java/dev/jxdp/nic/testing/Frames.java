package dev.jxdp.nic.testing;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/**
 * Ethernet frames built field by field for tests that look only at headers (RSS, parsing); checksums
 * are left zero. Frames that must be valid on a wire come from the generator or real captures.
 */
public final class Frames {
    public static final int TCP = 6;
    public static final int UDP = 17;
    public static final int ICMP = 1;

    private Frames() {}

    /** Ethernet + IPv4 + the first 8 bytes of a transport header with the two ports. */
    public static byte[] ipv4(String src, String dst, int proto, int srcPort, int dstPort, int fragmentField, int... vlans) {
        ByteBuffer b = ByteBuffer.allocate(14 + 4 * vlans.length + 20 + 8);
        ethernet(b, 0x0800, vlans);
        b.put((byte) 0x45).put((byte) 0).putShort((short) 28).putShort((short) 1).putShort((short) fragmentField);
        b.put((byte) 64).put((byte) proto).putShort((short) 0).put(addr(src)).put(addr(dst));
        b.putShort((short) srcPort).putShort((short) dstPort).putInt(0);
        return b.array();
    }

    /** Ethernet + IPv6 (+ extension headers given as raw bytes) + the ports. */
    public static byte[] ipv6(String src, String dst, int nextHeader, byte[] extensions, int srcPort, int dstPort) {
        ByteBuffer b = ByteBuffer.allocate(14 + 40 + extensions.length + 8);
        ethernet(b, 0x86dd);
        b.putInt(0x60000000).putShort((short) (extensions.length + 8)).put((byte) nextHeader).put((byte) 64);
        b.put(addr(src)).put(addr(dst)).put(extensions);
        b.putShort((short) srcPort).putShort((short) dstPort).putInt(0);
        return b.array();
    }

    /** An ARP request (no IP: RSS gives it no hash). */
    public static byte[] arp() {
        ByteBuffer b = ByteBuffer.allocate(42);
        ethernet(b, 0x0806);
        b.putShort((short) 1).putShort((short) 0x0800).put((byte) 6).put((byte) 4).putShort((short) 1);
        return b.array();
    }

    private static void ethernet(ByteBuffer b, int type, int... vlans) {
        b.put(new byte[] {-1, -1, -1, -1, -1, -1, 2, 0, 0, 0, 0, 1});
        for (int vlan : vlans) {
            b.putShort((short) 0x8100).putShort((short) vlan);
        }
        b.putShort((short) type);
    }

    private static byte[] addr(String a) {
        try {
            return InetAddress.getByName(a).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
