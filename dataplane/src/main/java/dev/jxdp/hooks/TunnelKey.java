package dev.jxdp.hooks;

import java.util.Arrays;

/**
 * Tunnel metadata of a packet: the kernel's {@code ip_tunnel_key} in a metadata dst, as a collect_md
 * tunnel device (vxlan, geneve, gre in external mode) attaches it.
 *
 * <p>The model: a port the NIC simulator declares as a tunnel endpoint hands received (decapsulated)
 * packets to the pipeline with the key of their outer header ({@code src} = the remote endpoint,
 * {@code dst} = the local one); {@code bpf_skb_get_tunnel_key} reads it. {@code bpf_skb_set_tunnel_key}
 * attaches a key for transmission ({@code dst} = the remote endpoint to send to), which the pipeline
 * gives the port's transmit side with the packet, which encapsulates. As in the kernel, a program that
 * sets a key and reads it back sees remote and local swapped: the key is stored as source and
 * destination of the outer header, and the getter reads the remote end from the source.
 *
 * @param id tunnel_id (the VNI / key)
 * @param ipv6 whether the outer header is IPv6 (BPF_F_TUNINFO_IPV6)
 * @param src the outer source address (4 bytes for IPv4, 16 for IPv6)
 * @param dst the outer destination address
 * @param tos tunnel_tos
 * @param ttl tunnel_ttl
 * @param label tunnel_label (IPv6 flow label)
 * @param flags the tunnel flags as __be16 TUNNEL_* bits (what BPF_F_TUNINFO_FLAGS reads)
 * @param transmit whether a program set it for transmission (IP_TUNNEL_INFO_TX)
 */
public record TunnelKey(long id, boolean ipv6, byte[] src, byte[] dst, int tos, int ttl, int label, int flags, boolean transmit) {
    public TunnelKey {
        src = src.clone();
        dst = dst.clone();
        int n = ipv6 ? 16 : 4;
        if (src.length != n || dst.length != n) {
            throw new IllegalArgumentException("tunnel addresses of " + n + " bytes for " + (ipv6 ? "IPv6" : "IPv4"));
        }
    }

    @Override
    public byte[] src() {
        return src.clone();
    }

    @Override
    public byte[] dst() {
        return dst.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TunnelKey k && id == k.id && ipv6 == k.ipv6 && Arrays.equals(src, k.src) && Arrays.equals(dst, k.dst)
                && tos == k.tos && ttl == k.ttl && label == k.label && flags == k.flags && transmit == k.transmit;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(id) * 31 + Arrays.hashCode(dst);
    }
}
