package dev.jxdp.nic.rss;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Receive side scaling as a NIC does it: the Toeplitz hash of a frame's flow, then an indirection
 * table from the hash's low bits to a receive queue, so that every frame of a flow lands on the same
 * queue (and so the same worker).
 *
 * <p>What is hashed follows Microsoft's RSS hashing types with TCP and UDP enabled, as Linux drivers
 * configure NICs ({@code ethtool -N ... rx-flow-hash tcp4 sdfn}):
 * <ul>
 *   <li>IPv4 and IPv6 TCP or UDP: source address, destination address, source port, destination port
 *       (12 or 36 bytes, in that order, as they lie in the packet);
 *   <li>other IPv4 and IPv6 packets, and every fragment (ports are only in the first, so a datagram's
 *       fragments must stay together): source and destination address (8 or 32 bytes);
 *   <li>anything else (ARP, LLDP ...): no hash (0), and the frame goes to the table's first entry, as
 *       NICs send packets they cannot hash to their default queue.
 * </ul>
 * Up to two VLAN tags (802.1Q, 802.1ad) are skipped, as NICs parse past them; IPv6 hop-by-hop,
 * routing, destination-options and AH extension headers are skipped to find the transport header.
 *
 * <p>The indirection table has 128 entries, entry i = queue i mod n: Linux's default
 * ({@code ethtool_rxfh_indir_default}) on the NICs whose table has 128 entries (ixgbe, i40e, mlx5 ...),
 * indexed by the hash's low 7 bits. Immutable and thread-safe.
 */
public final class Rss {
    /** Indirection table entries. */
    public static final int TABLE_SIZE = 128;

    private static final ValueLayout.OfShort BE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final int ETH_P_IP = 0x0800;
    private static final int ETH_P_IPV6 = 0x86dd;
    private static final int ETH_P_8021Q = 0x8100;
    private static final int ETH_P_8021AD = 0x88a8;
    private static final int IPPROTO_TCP = 6;
    private static final int IPPROTO_UDP = 17;

    private final Toeplitz toeplitz;
    private final int[] table = new int[TABLE_SIZE];
    private final int queues;

    /** {@code queues} receive queues, the default key and table. */
    public Rss(int queues) {
        this(Toeplitz.DEFAULT_KEY, queues);
    }

    public Rss(byte[] key, int queues) {
        if (queues < 1) {
            throw new IllegalArgumentException("RSS needs at least one queue, not " + queues);
        }
        this.toeplitz = new Toeplitz(key);
        if (toeplitz.maxInput() < 36) {
            throw new IllegalArgumentException("an RSS key for IPv6 needs 40 bytes, not " + key.length);
        }
        this.queues = queues;
        for (int i = 0; i < TABLE_SIZE; i++) {
            table[i] = i % queues;
        }
    }

    public int queues() {
        return queues;
    }

    public Toeplitz toeplitz() {
        return toeplitz;
    }

    /** The receive queue of a frame whose hash is {@code hash}. */
    public int queue(int hash) {
        return table[hash & (TABLE_SIZE - 1)];
    }

    /** The RSS hash of the Ethernet frame of {@code length} bytes at {@code offset} of {@code frame}; 0 if it has none. */
    public int hash(MemorySegment frame, long offset, int length) {
        long end = offset + length;
        long p = offset + 12;
        if (p + 2 > end) {
            return 0;
        }
        int type = u16(frame, p);
        for (int tags = 0; tags < 2 && (type == ETH_P_8021Q || type == ETH_P_8021AD) && p + 6 <= end; tags++) {
            p += 4;
            type = u16(frame, p);
        }
        p += 2;
        return switch (type) {
            case ETH_P_IP -> ipv4(frame, p, end);
            case ETH_P_IPV6 -> ipv6(frame, p, end);
            default -> 0;
        };
    }

    private int ipv4(MemorySegment f, long ip, long end) {
        if (ip + 20 > end) {
            return 0;
        }
        int ihl = (f.get(ValueLayout.JAVA_BYTE, ip) & 0x0f) * 4;
        if (ihl < 20 || ip + ihl > end) {
            return 0;
        }
        int h = toeplitz.mix(0, f, ip + 12, 8, 0);
        boolean fragment = (u16(f, ip + 6) & 0x3fff) != 0; // MF or a fragment offset
        int proto = f.get(ValueLayout.JAVA_BYTE, ip + 9) & 0xff;
        long l4 = ip + ihl;
        if (!fragment && (proto == IPPROTO_TCP || proto == IPPROTO_UDP) && l4 + 4 <= end) {
            h = toeplitz.mix(h, f, l4, 4, 8);
        }
        return h;
    }

    private int ipv6(MemorySegment f, long ip, long end) {
        if (ip + 40 > end) {
            return 0;
        }
        int h = toeplitz.mix(0, f, ip + 8, 32, 0);
        int next = f.get(ValueLayout.JAVA_BYTE, ip + 6) & 0xff;
        long p = ip + 40;
        for (int headers = 0; headers < 8; headers++) {
            switch (next) {
                case IPPROTO_TCP, IPPROTO_UDP -> {
                    return p + 4 <= end ? toeplitz.mix(h, f, p, 4, 32) : h;
                }
                case 0, 43, 60 -> { // hop-by-hop, routing, destination options: (len + 1) * 8 bytes
                    if (p + 2 > end) {
                        return h;
                    }
                    next = f.get(ValueLayout.JAVA_BYTE, p) & 0xff;
                    p += ((f.get(ValueLayout.JAVA_BYTE, p + 1) & 0xff) + 1) * 8L;
                }
                case 51 -> { // AH: (len + 2) * 4 bytes
                    if (p + 2 > end) {
                        return h;
                    }
                    next = f.get(ValueLayout.JAVA_BYTE, p) & 0xff;
                    p += ((f.get(ValueLayout.JAVA_BYTE, p + 1) & 0xff) + 2) * 4L;
                }
                default -> { // a fragment header (44), or a transport RSS does not hash
                    return h;
                }
            }
        }
        return h;
    }

    private static int u16(MemorySegment f, long at) {
        return f.get(BE16, at) & 0xffff;
    }
}
