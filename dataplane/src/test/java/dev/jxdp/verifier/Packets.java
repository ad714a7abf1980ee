package dev.jxdp.verifier;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;

/**
 * Random and mutated frames for the soundness check: well-formed Ethernet frames with the headers the
 * corpus parses (up to two VLAN tags, IPv4 with options, IPv6 with extension-header chains, TCP with
 * options, UDP, ICMP, 4,096-byte replication blocks), then mutated (bytes flipped, lengths cut short or stretched) so that every
 * header field that steers a parser takes odd values; and some frames of pure noise.
 */
final class Packets {
    private Packets() {}

    static byte[] next(Random r) {
        byte[] f = switch (r.nextInt(10)) {
            case 0 -> noise(r);
            default -> wellFormed(r);
        };
        return r.nextInt(3) == 0 ? mutate(f, r) : f;
    }

    private static byte[] noise(Random r) {
        byte[] b = new byte[r.nextInt(r.nextBoolean() ? 64 : 1600)];
        r.nextBytes(b);
        return b;
    }

    static byte[] mutate(byte[] f, Random r) {
        byte[] g = f;
        switch (r.nextInt(3)) {
            case 0 -> {
                g = f.clone();
                for (int i = 0, n = 1 + r.nextInt(4); i < n && g.length > 0; i++) {
                    g[r.nextInt(g.length)] ^= (byte) (1 << r.nextInt(8));
                }
            }
            case 1 -> g = java.util.Arrays.copyOf(f, r.nextInt(f.length + 1));
            default -> {
                g = java.util.Arrays.copyOf(f, f.length + r.nextInt(64));
                for (int i = f.length; i < g.length; i++) {
                    g[i] = (byte) r.nextInt(256);
                }
            }
        }
        return g;
    }

    private static byte[] wellFormed(Random r) {
        ByteBuffer b = ByteBuffer.allocate(9000).order(ByteOrder.BIG_ENDIAN);
        byte[] macs = new byte[12];
        r.nextBytes(macs);
        b.put(macs);
        for (int tags = r.nextInt(4) == 0 ? 1 + r.nextInt(2) : 0; tags > 0; tags--) {
            b.putShort((short) (r.nextBoolean() ? 0x8100 : 0x88a8)).putShort((short) r.nextInt(4096));
        }
        int kind = r.nextInt(10);
        int l4 = new int[] {6, 6, 17, 17, 1, 58, r.nextInt(256)}[r.nextInt(7)];
        if (kind < 6) {
            b.putShort((short) 0x0800);
            int optWords = r.nextInt(3) == 0 ? 1 + r.nextInt(10) : 0;
            b.put((byte) (0x45 + optWords)).put((byte) 0).putShort((short) 0).putInt(r.nextInt(4) == 0 ? 0x2000 : 0)
                    .put((byte) 64).put((byte) l4).putShort((short) 0).putInt(r.nextInt()).putInt(r.nextInt());
            for (int i = 0; i < optWords * 4; ) {
                int kindOpt = new int[] {0, 1, 1, 7, 68, 130}[r.nextInt(6)];
                b.put((byte) kindOpt);
                i++;
                if (kindOpt > 1 && i + 1 < optWords * 4) {
                    int len = Math.min(2 + r.nextInt(8), optWords * 4 - i + 1);
                    b.put((byte) len);
                    i++;
                    for (int k = 2; k < len && i < optWords * 4; k++, i++) {
                        b.put((byte) r.nextInt(256));
                    }
                }
            }
        } else if (kind < 9) {
            b.putShort((short) 0x86dd);
            int[] ext = {0, 43, 60, 44};
            int chain = r.nextInt(3) == 0 ? 1 + r.nextInt(4) : 0;
            int first = chain > 0 ? ext[r.nextInt(4)] : l4;
            b.putInt(0x6000_0000).putShort((short) 0).put((byte) first).put((byte) 64);
            byte[] addrs = new byte[32];
            r.nextBytes(addrs);
            b.put(addrs);
            int current = first;
            for (int i = 0; i < chain; i++) {
                int next = i == chain - 1 ? l4 : ext[r.nextInt(4)];
                if (current == 44) {
                    b.put((byte) next).put((byte) 0).putShort((short) (r.nextInt(4) == 0 ? 8 : 0)).putInt(r.nextInt());
                } else {
                    int hdrlen = r.nextInt(3);
                    b.put((byte) next).put((byte) hdrlen);
                    for (int k = 2; k < (hdrlen + 1) * 8; k++) {
                        b.put((byte) r.nextInt(256));
                    }
                }
                current = next;
            }
        } else {
            b.putShort((short) 0x0806);
        }
        if (l4 == 6) {
            int optWords = r.nextInt(2) == 0 ? r.nextInt(11) : 0;
            b.putShort((short) r.nextInt(65536)).putShort((short) r.nextInt(65536)).putInt(r.nextInt()).putInt(r.nextInt())
                    .put((byte) ((5 + optWords) << 4)).put((byte) (r.nextBoolean() ? 0x02 : 0x12)).putShort((short) 1024).putInt(0);
            for (int i = 0; i < optWords * 4; ) {
                int k = new int[] {0, 1, 2, 3, 4, 8, 1}[r.nextInt(7)];
                int len = switch (k) {
                    case 0, 1 -> 1;
                    case 2 -> 4;
                    case 3 -> 3;
                    case 4 -> 2;
                    default -> 10;
                };
                if (r.nextInt(8) == 0) {
                    len = r.nextInt(12);
                }
                b.put((byte) k);
                if (len > 1) {
                    b.put((byte) len);
                }
                for (int x = 2; x < len; x++) {
                    b.put((byte) r.nextInt(256));
                }
                i += Math.max(1, len);
            }
        } else if (l4 == 17) {
            int port = new int[] {53, 5004, 7400, 9}[r.nextInt(4)];
            b.putShort((short) r.nextInt(65536)).putShort((short) port).putShort((short) 0).putShort((short) 0);
            if (port == 7400 && r.nextBoolean()) {
                // a replication block for xdp_payload_crc32: 4,096 bytes and their CRC (or one byte short)
                for (int i = 4100 - r.nextInt(2); i > 0; i--) {
                    b.put((byte) r.nextInt(256));
                }
            }
        } else if (l4 == 1 || l4 == 58) {
            b.put((byte) (r.nextBoolean() ? 8 : 128)).put((byte) 0).putShort((short) 0).putInt(r.nextInt());
        }
        for (int i = r.nextInt(r.nextInt(10) == 0 ? 1400 : 64); i > 0; i--) {
            b.put((byte) r.nextInt(256));
        }
        byte[] f = new byte[b.position()];
        System.arraycopy(b.array(), 0, f, 0, f.length);
        return f;
    }
}
