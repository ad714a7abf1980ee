package dev.jxdp.hooks;

/**
 * The host stack: where packets go that pass tc ingress (the Linux stack through a tap, a pcap sink).
 * Called on the worker, so implementations must be thread-safe; the skb is valid only during the call.
 */
@FunctionalInterface
public interface HostSink {

    void deliver(Port port, Skb skb);

    HostSink DISCARD = (port, skb) -> {};
}
