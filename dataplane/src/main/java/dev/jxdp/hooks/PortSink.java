package dev.jxdp.hooks;

import java.lang.foreign.MemorySegment;

/**
 * Where a port's transmitted frames go (the NIC simulator's TX queue: a pcap writer, a tap, a UDP
 * wire). Called on the worker that sends, so implementations must be thread-safe; {@code frame} is
 * valid only during the call (copy it to keep it).
 */
@FunctionalInterface
public interface PortSink {

    /**
     * @param tunnel the key a tc program attached with bpf_skb_set_tunnel_key, for a tunnel port to
     *     encapsulate with; null if none
     */
    void transmit(Port port, MemorySegment frame, TunnelKey tunnel);

    /**
     * As {@link #transmit(Port, MemorySegment, TunnelKey)}, for a packet that may be a large segment:
     * {@code gsoSize} is its skb's segment size as the programs left it (bpf_skb_adjust_room changes it),
     * 0 for an ordinary packet. A sink that cuts or hands on large segments takes this one; the default
     * forgets the size.
     */
    default void transmit(Port port, MemorySegment frame, TunnelKey tunnel, int gsoSize) {
        transmit(port, frame, tunnel);
    }

    /** Drops everything (a port nobody listens to). */
    PortSink DISCARD = (port, frame, tunnel) -> {};
}
