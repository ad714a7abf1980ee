package dev.jxdp.hooks;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

/**
 * One worker's latency recorders, one per stage (each hook, and the whole path of a frame), in
 * nanoseconds. Cheap enough for the hot path because most packets are not timed: one packet in
 * {@code 2^k} (the sampling rate) reads the clock at each stage and records into a wait-free
 * single-writer recorder; the others pay one increment and a mask test. The {@link Pipeline} drains
 * the recorders into its histograms when asked.
 */
final class LatencyRecorders {
    /** The stages: the three hooks and end to end. */
    static final int STAGES = Hook.values().length + 1;
    static final int TOTAL = Hook.values().length;

    private final SingleWriterRecorder[] recorders = new SingleWriterRecorder[STAGES];

    LatencyRecorders() {
        for (int i = 0; i < STAGES; i++) {
            recorders[i] = new SingleWriterRecorder(3);
        }
    }

    void record(int stage, long nanos) {
        recorders[stage].recordValue(Math.max(0, nanos));
    }

    /** Adds what was recorded since the last call to {@code into}. */
    void drain(int stage, Histogram into) {
        into.add(recorders[stage].getIntervalHistogram());
    }
}
