package dev.jxdp.bench;

import dev.jxdp.nic.HostPort;
import dev.jxdp.nic.Port;
import dev.jxdp.nic.PortConfig;
import dev.jxdp.nic.frame.Frame;

/**
 * A port whose wire swallows every frame: where a load test's transmitted and host-bound frames go,
 * so that what is measured is the receive path and the hooks, not a capture file's writes. The
 * transmit queues still count what went out (packets, bytes, tx_dropped when a ring is full).
 */
public final class SinkPort extends Port implements HostPort {
    public SinkPort(String name, PortConfig config) {
        super(name, config);
    }

    @Override
    public String describe() {
        return "sink (discards what it transmits)";
    }

    @Override
    protected void open() {}

    @Override
    protected boolean hasReceiver() {
        return false;
    }

    @Override
    protected boolean hasTransmitter() {
        return true;
    }

    @Override
    protected void transmit(Frame frame) {
        // the wire takes it; the caller counts and recycles the buffer
    }

    @Override
    protected void closeResources() {}
}
