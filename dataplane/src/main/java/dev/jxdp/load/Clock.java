package dev.jxdp.load;

/**
 * The clocks of the time helpers: bpf_ktime_get_ns (CLOCK_MONOTONIC), bpf_ktime_get_boot_ns
 * (CLOCK_BOOTTIME), bpf_ktime_get_coarse_ns (CLOCK_MONOTONIC_COARSE) and bpf_jiffies64. The loaded
 * object reads them through this interface so that a caller can pin them ({@link #fixed}): the
 * kernel differential runner needs runs that do not depend on when they happen.
 */
public interface Clock {
    long monotonicNs();

    long bootNs();

    long coarseNs();

    long jiffies64();

    /** The machine's clocks ({@link SystemClock}). */
    static Clock system() {
        return SystemClock.INSTANCE;
    }

    /** Clocks that always read {@code ns} (and jiffies derived from it as the system clock derives them). */
    static Clock fixed(long ns) {
        return new Fixed(ns);
    }

    /** A pinned clock. */
    record Fixed(long ns) implements Clock {
        @Override
        public long monotonicNs() {
            return ns;
        }

        @Override
        public long bootNs() {
            return ns;
        }

        @Override
        public long coarseNs() {
            return ns;
        }

        @Override
        public long jiffies64() {
            return SystemClock.jiffiesAt(ns);
        }
    }
}
