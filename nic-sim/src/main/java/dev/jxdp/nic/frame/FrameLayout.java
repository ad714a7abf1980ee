package dev.jxdp.nic.frame;

/**
 * How a frame buffer is cut up: {@code headroom} bytes before the frame (where bpf_xdp_adjust_head
 * and bpf_xdp_adjust_meta move the start to), room for a frame of up to {@code frameRoom} bytes
 * (bpf_xdp_adjust_tail may grow a frame up to there), and {@code tailroom} bytes after that which no
 * frame reaches: the kernel keeps its {@code struct skb_shared_info} there (320 bytes on x86-64,
 * which BPF_PROG_TEST_RUN reserves too), and the XDP hook refuses to grow a frame into it.
 *
 * <pre>
 * [ headroom | frame ............ (up to frameRoom) | tailroom ]
 * 0          headroom                                capacity - tailroom   capacity
 * </pre>
 */
public record FrameLayout(int headroom, int frameRoom, int tailroom) {
    /** XDP_PACKET_HEADROOM. */
    public static final int XDP_HEADROOM = 256;
    /**
     * The largest frame a buffer holds by default: a jumbo frame of MTU 9000 with its Ethernet header
     * and one 802.1Q tag (9000 + 14 + 4), the most a port of MTU 9000 is given (a tap's stack sends
     * a VLAN device's frames that long, and the kernel's redirect lets frames of MTU + 18 through).
     */
    public static final int JUMBO_FRAME = 9018;
    /** SKB_DATA_ALIGN(sizeof(struct skb_shared_info)) on x86-64. */
    public static final int SHARED_INFO = 320;

    /** 256 B headroom, frames up to 9018 B, 320 B of shared info: 9594 bytes a buffer. */
    public static final FrameLayout DEFAULT = new FrameLayout(XDP_HEADROOM, JUMBO_FRAME, SHARED_INFO);

    /**
     * Buffers for a port that takes the kernel's offloads (a tap with IFF_VNET_HDR, a packet socket
     * with PACKET_VNET_HDR): room for the largest segment the kernel hands over whole (a 64 KB IPv6
     * payload with its header, Ethernet and two VLAN tags: 65,535 + 40 + 22 bytes, rounded up), the
     * usual headroom (where the virtio-net header is read to and written from) and tailroom.
     */
    public static final FrameLayout OFFLOADS = new FrameLayout(XDP_HEADROOM, 65_664, SHARED_INFO);

    public FrameLayout {
        if (headroom < 0 || frameRoom < 14 || tailroom < 0) {
            throw new IllegalArgumentException("a frame layout needs headroom >= 0, room for at least an Ethernet header"
                    + " and tailroom >= 0, not " + headroom + "/" + frameRoom + "/" + tailroom);
        }
        if ((long) headroom + frameRoom + tailroom > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("frame layout too large");
        }
    }

    /** Bytes in one buffer. */
    public int capacity() {
        return headroom + frameRoom + tailroom;
    }
}
