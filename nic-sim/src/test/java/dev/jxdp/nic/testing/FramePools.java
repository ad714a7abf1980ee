package dev.jxdp.nic.testing;

import dev.jxdp.nic.frame.Frame;
import dev.jxdp.nic.frame.FrameLayout;
import dev.jxdp.nic.frame.FramePool;

/** A tiny pool whose allocations make the frame leak detector report what it found. */
final class FramePools {
    private static final FramePool PROBE = new FramePool("leak-probe", new FrameLayout(0, 64, 0), 1);

    private FramePools() {}

    static void probe() {
        Frame f = PROBE.allocate();
        if (f != null) {
            f.release();
        }
    }
}
