package dev.jxdp.diff;

import dev.jxdp.load.Clock;

/**
 * jxdp's clocks during a differential run: the machine's clocks as read just before the kernel ran
 * the same packet ({@link #tick}), held for jxdp's run of it. The kernel's time helpers cannot be
 * pinned, but this way jxdp's program reads what the kernel's read a few microseconds earlier, so a
 * time in milliseconds (or seconds, or jiffies) is the kernel's unless a tick fell in between; a
 * time in nanoseconds is never the same, and {@link ClockWindow} tolerates those in maps.
 */
final class PacketClock implements Clock {
    private final Clock system = Clock.system();
    private volatile long mono;
    private volatile long boot;
    private volatile long coarse;

    PacketClock() {
        tick();
    }

    /** Reads the machine's clocks: call right before the kernel runs the packet. */
    void tick() {
        coarse = system.coarseNs();
        boot = system.bootNs();
        mono = system.monotonicNs();
    }

    @Override
    public long monotonicNs() {
        return mono;
    }

    @Override
    public long bootNs() {
        return boot;
    }

    @Override
    public long coarseNs() {
        return coarse;
    }

    @Override
    public long jiffies64() {
        return Clock.fixed(boot).jiffies64();
    }
}
