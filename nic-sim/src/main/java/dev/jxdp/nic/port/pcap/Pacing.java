package dev.jxdp.nic.port.pcap;

/**
 * How fast a capture is replayed, with tcpreplay's meanings (its options in brackets; they exclude
 * each other there too).
 */
public sealed interface Pacing {

    /** As fast as possible [--topspeed]. */
    record TopSpeed() implements Pacing {}

    /**
     * The gaps the capture recorded, divided by {@code multiplier} [--multiplier]: 2.0 replays at twice
     * the captured speed, 0.7 at 70%; 1.0 is tcpreplay's default, the original timing.
     */
    record Original(double multiplier) implements Pacing {
        public Original {
            if (!(multiplier > 0) || Double.isInfinite(multiplier)) {
                throw new IllegalArgumentException("the multiplier must be a positive number, not " + multiplier);
            }
        }
    }

    /** {@code packetsPerSecond} evenly spaced [--pps]: 200 is 200 packets a second, 0.25 is 15 a minute. */
    record Pps(double packetsPerSecond) implements Pacing {
        public Pps {
            if (!(packetsPerSecond > 0) || Double.isInfinite(packetsPerSecond)) {
                throw new IllegalArgumentException("--pps must be a positive number, not " + packetsPerSecond);
            }
        }
    }

    /**
     * {@code megabitsPerSecond} (10^6 bits) of frame bytes [--mbps]: each frame waits until the bytes
     * before it have had their time at that rate.
     */
    record Mbps(double megabitsPerSecond) implements Pacing {
        public Mbps {
            if (!(megabitsPerSecond > 0) || Double.isInfinite(megabitsPerSecond)) {
                throw new IllegalArgumentException("--mbps must be a positive number, not " + megabitsPerSecond);
            }
        }
    }

    static Pacing original() {
        return new Original(1.0);
    }
}
