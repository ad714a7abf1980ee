package dev.jxdp.diff;

import dev.jxdp.load.Clock;

/**
 * The span of a differential run on the machine's clocks. The kernel's time helpers cannot be pinned,
 * so jxdp reads the same clocks a little earlier ({@link PacketClock}), and a 64-bit map word that
 * differs between the two sides is taken for a timestamp, and the same, when both values fall inside
 * this span on CLOCK_MONOTONIC or CLOCK_BOOTTIME. The coarse clock lags by up to a tick, hence
 * the slack before the start.
 */
record ClockWindow(long monoStart, long monoEnd, long bootStart, long bootEnd) {
    /** A jiffy at HZ=100, more than any CONFIG_HZ lags. */
    private static final long SLACK_NS = 10_000_000;

    static ClockWindow start() {
        Clock c = Clock.system();
        return new ClockWindow(c.monotonicNs(), Long.MAX_VALUE, c.bootNs(), Long.MAX_VALUE);
    }

    ClockWindow end() {
        Clock c = Clock.system();
        return new ClockWindow(monoStart, c.monotonicNs(), bootStart, c.bootNs());
    }

    boolean isTimestamp(long ns) {
        return inside(ns, monoStart, monoEnd) || inside(ns, bootStart, bootEnd);
    }

    private static boolean inside(long ns, long from, long to) {
        return ns >= from - SLACK_NS && ns <= to;
    }
}
