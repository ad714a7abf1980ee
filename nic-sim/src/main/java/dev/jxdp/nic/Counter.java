package dev.jxdp.nic;

import java.util.concurrent.atomic.AtomicLong;

/**
 * One statistics counter. Most have a single writer (the thread that owns the queue or worker), which
 * adds with a plain read and an opaque write: no atomic instruction on the hot path, and readers on
 * other threads see a recent value. Counters that several threads bump (a transmit queue's drops,
 * where every worker may overflow it) use {@link #addShared}.
 */
public final class Counter {
    private final AtomicLong value = new AtomicLong();

    /** Adds {@code n}; only the counter's owning thread may call this. */
    public void add(long n) {
        value.setOpaque(value.getPlain() + n);
    }

    /** Adds 1; only the counter's owning thread may call this. */
    public void increment() {
        add(1);
    }

    /** Adds {@code n} from any thread. */
    public void addShared(long n) {
        value.getAndAdd(n);
    }

    public long get() {
        return value.getOpaque();
    }

    @Override
    public String toString() {
        return Long.toString(get());
    }
}
