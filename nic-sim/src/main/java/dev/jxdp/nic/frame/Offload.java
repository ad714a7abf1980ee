package dev.jxdp.nic.frame;

/**
 * The values of a virtio-net header ({@code struct virtio_net_hdr}, include/uapi/linux/virtio_net.h)
 * that a frame carries from a tap opened with IFF_VNET_HDR: its flags and gso_type. A frame with
 * gso_type other than {@link #GSO_NONE} is a large segment (up to 64 KB) that the port it leaves by
 * must cut into gso_size pieces; one with {@link #F_NEEDS_CSUM} has a checksum still to be filled in
 * from csum_start to its end, at csum_start + csum_offset. See {@link Segmenter} for ports that cannot
 * be asked to.
 */
public final class Offload {
    /** VIRTIO_NET_HDR_F_NEEDS_CSUM: the checksum at csum_start + csum_offset holds only the pseudo-header's sum. */
    public static final int F_NEEDS_CSUM = 1;
    /** VIRTIO_NET_HDR_F_DATA_VALID: the checksum was checked (the kernel's CHECKSUM_UNNECESSARY). */
    public static final int F_DATA_VALID = 2;
    public static final int GSO_NONE = 0;
    public static final int GSO_TCPV4 = 1;
    /** UFO, which Linux no longer makes (kept for the header's sake). */
    public static final int GSO_UDP = 3;
    public static final int GSO_TCPV6 = 4;
    /** USO (TUN_F_USO4/6): jxdp does not ask taps for it, so it never arrives. */
    public static final int GSO_UDP_L4 = 5;
    /** The sender supports ECN on TCP segments (a bit beside the type). */
    public static final int GSO_ECN = 0x80;

    private Offload() {}

    /** gso_type without the ECN bit. */
    public static int type(int gsoType) {
        return gsoType & ~GSO_ECN;
    }
}
