package dev.jxdp.jit;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;

/**
 * Random Ethernet frames for running the corpus programs: mostly well-formed IPv4/IPv6 with UDP,
 * TCP (SYNs with MSS options among them) or ICMP, VLAN tags at times, ports the corpus programs look
 * at (DNS, RTP, the CRC block port), and at times truncated, garbage or ARP. Well-formed frames get
 * the programs past their parsers; the others exercise their bounds checks.
 */
final class Frames {
    private static final int[] PORTS = {53, 7400, 5004, 5005, 80, 443, 123, 0, 9, 22, 65535};

    private Frames() {}

    static byte[] random(Random r) {
        int kind = r.nextInt(20);
        if (kind == 0) {
            byte[] junk = new byte[r.nextInt(80)];
            r.nextBytes(junk);
            return junk;
        }
        ByteBuffer b = ByteBuffer.allocate(9000).order(ByteOrder.BIG_ENDIAN);
        byte[] mac = new byte[12];
        r.nextBytes(mac);
        b.put(mac);
        if (r.nextInt(8) == 0) {
            b.putShort((short) 0x8100).putShort((short) r.nextInt(4096));
        }
        int ether = kind == 1 ? 0x0806 : kind < 7 ? 0x86dd : 0x0800;
        b.putShort((short) ether);
        int proto = new int[] {17, 17, 6, 1, 58, r.nextInt(256)}[r.nextInt(6)];
        int payload = r.nextInt(8) == 0 ? 4100 : r.nextInt(120);
        if (ether == 0x0800) {
            int ihl = r.nextInt(6) == 0 ? 5 + r.nextInt(3) : 5;
            int start = b.position();
            b.put((byte) (0x40 | ihl)).put((byte) r.nextInt(256)).putShort((short) (ihl * 4 + 8 + payload))
                    .putShort((short) r.nextInt()).putShort((short) (r.nextInt(4) == 0 ? 0x2000 : 0))
                    .put((byte) (1 + r.nextInt(64))).put((byte) proto).putShort((short) 0).putInt(r.nextInt()).putInt(r.nextInt());
            for (int i = 5; i < ihl; i++) {
                b.putInt(r.nextInt());
            }
            if (r.nextBoolean()) {
                b.putShort(start + 10, checksum(b.array(), start, ihl * 4));
            }
        } else if (ether == 0x86dd) {
            b.putInt(0x6000_0000).putShort((short) (8 + payload)).put((byte) proto).put((byte) 64);
            byte[] addrs = new byte[32];
            r.nextBytes(addrs);
            b.put(addrs);
        }
        if (proto == 6) {
            b.putShort((short) PORTS[r.nextInt(PORTS.length)]).putShort((short) PORTS[r.nextInt(PORTS.length)])
                    .putInt(r.nextInt()).putInt(r.nextInt()).put((byte) (r.nextBoolean() ? 0x60 : 0x50))
                    .put((byte) (r.nextBoolean() ? 0x02 : 0x10)).putShort((short) 1024).putInt(0);
            if (r.nextBoolean()) {
                b.put((byte) 2).put((byte) 4).putShort((short) r.nextInt(1500)); // MSS option
            }
        } else if (proto == 17) {
            b.putShort((short) PORTS[r.nextInt(PORTS.length)]).putShort((short) PORTS[r.nextInt(PORTS.length)])
                    .putShort((short) (8 + payload)).putShort((short) 0);
        } else if (proto == 1 || proto == 58) {
            b.put((byte) (r.nextBoolean() ? 8 : 0)).put((byte) 0).putShort((short) 0).putInt(r.nextInt());
        }
        for (int i = 0; i < payload; i++) {
            b.put((byte) r.nextInt(256));
        }
        int length = b.position();
        if (r.nextInt(10) == 0) {
            length = r.nextInt(length + 1); // truncated
        }
        byte[] frame = new byte[length];
        System.arraycopy(b.array(), 0, frame, 0, length);
        return frame;
    }

    private static short checksum(byte[] a, int start, int len) {
        int sum = 0;
        for (int i = 0; i < len; i += 2) {
            sum += (a[start + i] & 0xff) << 8 | a[start + i + 1] & 0xff;
        }
        while (sum >> 16 != 0) {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        return (short) ~sum;
    }
}
