package dev.jxdp.nic;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One statistics counter. Most have a single writer (the thread that owns the queue or worker), which
 * adds with plain reads and writes: no atomic instruction and no ordering constraint on the hot path
 * (an opaque write, the earlier choice, kept C2 from scheduling the frame's other work around it and
 * cost a worker about 1 ns a counter). Readers on other threads load it opaquely and see a recent
 * value; the worker's volatile write at the end of each poll round publishes it. A long field is one
 * 8-byte access on the 64-bit platforms JDK 25 runs on, so no reader sees half an update. Counters
 * that several threads bump (a transmit queue's drops, where every worker may overflow it) use
 * {@link #addShared}, and only that.
 */
public final class Counter {
    private static final VarHandle VALUE;

    static {
        try {
            VALUE = MethodHandles.lookup().findVarHandle(Counter.class, "value", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private long value;

    /** Adds {@code n}; only the counter's owning thread may call this. */
    public void add(long n) {
        value += n;
    }

    /** Adds 1; only the counter's owning thread may call this. */
    public void increment() {
        add(1);
    }

    /** Adds {@code n} from any thread. */
    public void addShared(long n) {
        VALUE.getAndAdd(this, n);
    }

    public long get() {
        return (long) VALUE.getOpaque(this);
    }

    @Override
    public String toString() {
        return Long.toString(get());
    }
}
