package dev.jxdp.nic;

import dev.jxdp.nic.frame.FrameLayout;
import dev.jxdp.nic.rss.Toeplitz;
import java.util.HexFormat;

/**
 * The hardware side of a port: its ifindex (the number programs see, in xdp_md.ingress_ifindex and
 * devmaps), its queues and rings, its frame buffers and RSS key, its MAC address and MTU.
 *
 * @param ifindex the port's ifindex in jxdp's namespace (positive; 1 is the loopback device's)
 * @param rxQueues receive queues; RSS spreads flows over them
 * @param txQueues transmit queues; worker w transmits on queue w mod txQueues, as the kernel's XDP
 *     transmit picks the queue of the CPU
 * @param ringSize slots in each ring (a power of two is used as is, others round up, as JCTools does)
 * @param poolSize frame buffers the port receives into
 * @param layout headroom, frame room and tailroom of each buffer
 * @param rssKey the Toeplitz key (40 bytes)
 * @param mac the port's Ethernet address (6 bytes)
 * @param mtu the port's MTU
 */
public record PortConfig(int ifindex, int rxQueues, int txQueues, int ringSize, int poolSize, FrameLayout layout, byte[] rssKey,
        byte[] mac, int mtu) {

    /** Slots in a ring by default (ethtool's rx/tx ring sizes are often 256 to 1024). */
    public static final int DEFAULT_RING = 256;

    public PortConfig {
        if (ifindex < 1) {
            throw new IllegalArgumentException("an ifindex is positive, not " + ifindex);
        }
        if (rxQueues < 1 || txQueues < 1 || rxQueues > 64 || txQueues > 64) {
            throw new IllegalArgumentException("a port has 1 to 64 receive and transmit queues, not " + rxQueues + "/" + txQueues);
        }
        if (ringSize < 2 || poolSize < 1) {
            throw new IllegalArgumentException("rings need at least 2 slots and pools 1 buffer, not " + ringSize + "/" + poolSize);
        }
        rssKey = rssKey.clone();
        mac = mac.clone();
        if (mac.length != 6) {
            throw new IllegalArgumentException("a MAC address has 6 bytes, not " + mac.length);
        }
        if (mtu < 68) {
            throw new IllegalArgumentException("at least 68 (IPv4's least)");
        }
        if (mtu > maxMtu(layout)) {
            throw new IllegalArgumentException("MTU " + mtu + " does not fit buffers with room for " + layout.frameRoom()
                    + "-byte frames (at most " + maxMtu(layout) + ")");
        }
    }

    /**
     * One receive and one transmit queue of {@link #DEFAULT_RING} slots, buffers for every slot and a
     * batch more, the default layout and RSS key, a locally administered MAC 02:00:00:00:xx:xx from
     * the ifindex, MTU 1500.
     */
    public static PortConfig of(int ifindex) {
        byte[] mac = {0x02, 0, 0, 0, (byte) (ifindex >> 8), (byte) ifindex};
        return new PortConfig(ifindex, 1, 1, DEFAULT_RING, poolFor(1, 1, DEFAULT_RING), FrameLayout.DEFAULT, Toeplitz.DEFAULT_KEY,
                mac, 1500);
    }

    /** Buffers for every receive and transmit slot, and one batch in a worker's hands. */
    static int poolFor(int rx, int tx, int ring) {
        return (rx + tx) * ring + Worker.MAX_BATCH;
    }

    /** The same with {@code rx} receive and {@code tx} transmit queues (and a pool sized for them). */
    public PortConfig withQueues(int rx, int tx) {
        return new PortConfig(ifindex, rx, tx, ringSize, poolFor(rx, tx, ringSize), layout, rssKey, mac, mtu);
    }

    /** The same with rings of {@code slots} (and a pool sized for them). */
    public PortConfig withRingSize(int slots) {
        return new PortConfig(ifindex, rxQueues, txQueues, slots, poolFor(rxQueues, txQueues, slots), layout, rssKey, mac, mtu);
    }

    public PortConfig withPoolSize(int buffers) {
        return new PortConfig(ifindex, rxQueues, txQueues, ringSize, buffers, layout, rssKey, mac, mtu);
    }

    public PortConfig withLayout(FrameLayout l) {
        return new PortConfig(ifindex, rxQueues, txQueues, ringSize, poolSize, l, rssKey, mac, Math.min(mtu, maxMtu(l)));
    }

    public PortConfig withMac(byte[] m) {
        return new PortConfig(ifindex, rxQueues, txQueues, ringSize, poolSize, layout, rssKey, m, mtu);
    }

    /**
     * The largest MTU this port's buffers hold every frame of: its frame room less an Ethernet header
     * and an 802.1Q tag, the most the kernel lets through a redirect to a device (xdp_ok_fwd_dev:
     * MTU + hard_header_len + VLAN_HLEN). 9000 for the default layout.
     */
    public int maxMtu() {
        return maxMtu(layout);
    }

    /** ETH_HLEN + VLAN_HLEN. */
    private static final int LINK_HEADERS = 14 + 4;

    private static int maxMtu(FrameLayout layout) {
        return layout.frameRoom() - LINK_HEADERS;
    }

    public PortConfig withMtu(int m) {
        return new PortConfig(ifindex, rxQueues, txQueues, ringSize, poolSize, layout, rssKey, mac, m);
    }

    public PortConfig withRssKey(byte[] key) {
        return new PortConfig(ifindex, rxQueues, txQueues, ringSize, poolSize, layout, key, mac, mtu);
    }

    @Override
    public byte[] rssKey() {
        return rssKey.clone();
    }

    @Override
    public byte[] mac() {
        return mac.clone();
    }

    @Override
    public String toString() {
        return "PortConfig[ifindex " + ifindex + ", " + rxQueues + " rx / " + txQueues + " tx queues of " + ringSize + ", "
                + poolSize + " buffers, " + HexFormat.ofDelimiter(":").formatHex(mac) + ", mtu " + mtu + "]";
    }
}
