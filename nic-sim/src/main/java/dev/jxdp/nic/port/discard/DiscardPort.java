package dev.jxdp.nic.port.discard;

import dev.jxdp.nic.HostPort;
import dev.jxdp.nic.Port;
import dev.jxdp.nic.PortConfig;
import dev.jxdp.nic.frame.Frame;

/**
 * A port whose wire goes nowhere, as /dev/null: it transmits every frame into nothing (counted by its
 * transmit queues like any port's) and receives nothing. Where a run counts frames but keeps none
 * (a replay without an output directory), and a host that takes everything.
 */
public final class DiscardPort extends Port implements HostPort {

    public DiscardPort(String name, PortConfig config) {
        super(name, config);
    }

    @Override
    public String describe() {
        return "discard";
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
    protected void transmit(Frame frame) {}

    /** Nothing to write: the workers "send" here themselves rather than wake a thread to do nothing. */
    @Override
    protected boolean transmitsInline() {
        return true;
    }

    @Override
    protected boolean waitsForRoom() {
        return true; // nothing is lost on the way to nowhere but what the program decided
    }

    @Override
    protected void closeResources() {}
}
