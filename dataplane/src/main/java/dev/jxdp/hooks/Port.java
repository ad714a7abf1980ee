package dev.jxdp.hooks;

import java.util.Objects;

/**
 * A port of the {@link Pipeline}: a device (ifindex, address, MTU, receive queues), where its
 * transmitted frames go, and the programs attached to its hooks. Each hook's programs are one
 * immutable chain in a volatile field, so that replacing them is a single write: a packet reads the
 * chain once per hook and runs the old programs or the new ones, never a mix and never none. The
 * device is replaced the same way when its MTU changes ({@link Pipeline#setMtu}).
 */
public final class Port {
    private volatile Device device;
    private final PortSink sink;
    private final int index;
    private volatile XdpChain xdp = XdpChain.EMPTY;
    private volatile TcChain tcIngress = TcChain.EMPTY;
    private volatile TcChain tcEgress = TcChain.EMPTY;

    Port(Device device, PortSink sink, int index) {
        this.device = Objects.requireNonNull(device);
        this.sink = Objects.requireNonNull(sink);
        this.index = index;
    }

    public Device device() {
        return device;
    }

    public int ifindex() {
        return device.ifindex();
    }

    public String name() {
        return device.name();
    }

    void device(Device changed) {
        if (changed.ifindex() != device.ifindex()) {
            throw new IllegalArgumentException("port " + name() + " is ifindex " + device.ifindex() + ", not " + changed.ifindex());
        }
        this.device = changed;
    }

    PortSink sink() {
        return sink;
    }

    /** The port's slot in the pipeline's counters. */
    int index() {
        return index;
    }

    public XdpChain xdp() {
        return xdp;
    }

    public TcChain tc(Hook hook) {
        return switch (hook) {
            case TC_INGRESS -> tcIngress;
            case TC_EGRESS -> tcEgress;
            case XDP -> throw new IllegalArgumentException("XDP programs are an XdpChain: use xdp()");
        };
    }

    void xdp(XdpChain chain) {
        this.xdp = Objects.requireNonNull(chain);
    }

    void tc(Hook hook, TcChain chain) {
        Objects.requireNonNull(chain);
        switch (hook) {
            case TC_INGRESS -> tcIngress = chain;
            case TC_EGRESS -> tcEgress = chain;
            case XDP -> throw new IllegalArgumentException("XDP programs are an XdpChain");
        }
    }

    @Override
    public String toString() {
        return "port " + device;
    }
}
