package dev.jxdp.nic.port.pcap;

import java.util.concurrent.locks.LockSupport;

/**
 * Turns a {@link Pacing} into a send time for each frame, on an absolute schedule from the start of
 * the replay (so that sleeping late once does not slow every later frame): with the original timing,
 * start of the loop + (frame's timestamp - first frame's timestamp) / multiplier, restarted at each
 * loop as tcpreplay does; with --pps, start + frames before it / rate; with --mbps, start + bits
 * before it / rate. A capture whose timestamps go backwards sends such frames at once.
 */
final class Pacer {
    /** Time, and waiting for it; tests give a clock that only records. */
    interface Clock {
        long nanoTime();

        /**
         * Waits towards {@code deadline}: returns at it, or earlier after a slice of waiting, so that the
         * caller can look whether to stop and call again.
         */
        void waitUntil(long deadline);
    }

    static final Clock SYSTEM = new Clock() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void waitUntil(long deadline) {
            long left;
            while ((left = deadline - System.nanoTime()) > 0) {
                if (left > 100_000) {
                    // park most of the way (in slices, so that a stop is seen), spin the last stretch
                    LockSupport.parkNanos(Math.min(left - 50_000, 50_000_000));
                    return;
                }
                Thread.onSpinWait();
            }
        }
    };

    private final Pacing pacing;
    private final Clock clock;
    private long start = Long.MIN_VALUE;
    private long loopStart;
    private long firstTimestamp;
    private boolean loopStarted;
    private long frames;
    private long bytes;

    Pacer(Pacing pacing, Clock clock) {
        this.pacing = pacing;
        this.clock = clock;
    }

    /** The next loop over the file begins (after any loop delay). */
    void startLoop() {
        loopStarted = false;
    }

    /** The time the next frame, stamped {@code timestampNanos} and {@code length} bytes long, is due. */
    long deadline(long timestampNanos, int length) {
        long now = clock.nanoTime();
        if (start == Long.MIN_VALUE) {
            start = now;
        }
        if (!loopStarted) {
            loopStarted = true;
            loopStart = now;
            firstTimestamp = timestampNanos;
        }
        long due = switch (pacing) {
            case Pacing.TopSpeed t -> now;
            case Pacing.Original o -> loopStart + (long) (Math.max(0, timestampNanos - firstTimestamp) / o.multiplier());
            case Pacing.Pps p -> start + (long) (frames * 1e9 / p.packetsPerSecond());
            case Pacing.Mbps m -> start + (long) (bytes * 8 * 1e3 / m.megabitsPerSecond());
        };
        frames++;
        bytes += length;
        return due;
    }

    Clock clock() {
        return clock;
    }
}
