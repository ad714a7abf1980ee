package dev.jxdp.hooks;

import java.util.HexFormat;

/**
 * A network device as programs see it: what bpf_fib_lookup, the redirect helpers and
 * BPF_PROG_TEST_RUN's ctx_in checks need of the kernel's {@code struct net_device}.
 *
 * @param ifindex its index (positive)
 * @param name its name
 * @param mac its Ethernet address (6 bytes; all zero for the loopback device)
 * @param mtu its MTU
 * @param rxQueues its receive queues (xdp_md.rx_queue_index must be below)
 * @param peer the ifindex of its peer (veth/netkit pairs: bpf_redirect_peer), or 0
 */
public record Device(int ifindex, String name, byte[] mac, int mtu, int rxQueues, int peer) {
    /** The loopback device every network namespace has: ifindex 1, address 00:00:00:00:00:00, MTU 65536. */
    public static final Device LOOPBACK = new Device(1, "lo", new byte[6], 65536, 1, 0);

    public Device {
        if (ifindex <= 0) {
            throw new IllegalArgumentException("ifindex must be positive, not " + ifindex);
        }
        mac = mac.clone();
        if (mac.length != 6) {
            throw new IllegalArgumentException("a MAC address has 6 bytes, not " + mac.length);
        }
        if (rxQueues < 1) {
            throw new IllegalArgumentException("a device has at least one receive queue");
        }
    }

    @Override
    public byte[] mac() {
        return mac.clone();
    }

    /** This device with another MTU (as {@code ip link set DEV mtu N} leaves it: the rest unchanged). */
    public Device withMtu(int newMtu) {
        return new Device(ifindex, name, mac, newMtu, rxQueues, peer);
    }

    /** The address as a 48-bit number, first byte most significant: to compare without copying it. */
    public long macAddress() {
        long v = 0;
        for (byte b : mac) {
            v = v << 8 | (b & 0xff);
        }
        return v;
    }

    /** {@link #broadcast()} as a 48-bit number, first byte most significant. */
    public long broadcastAddress() {
        return ifindex != LOOPBACK.ifindex || !name.equals(LOOPBACK.name) ? 0xffff_ffff_ffffL : 0;
    }

    /** The broadcast address eth_type_trans compares with: ff:ff:ff:ff:ff:ff, all zero for loopback. */
    public byte[] broadcast() {
        byte[] b = new byte[6];
        if (ifindex != LOOPBACK.ifindex || !name.equals(LOOPBACK.name)) {
            java.util.Arrays.fill(b, (byte) 0xff);
        }
        return b;
    }

    @Override
    public String toString() {
        return name + " (ifindex " + ifindex + ", " + HexFormat.ofDelimiter(":").formatHex(mac) + ")";
    }
}
