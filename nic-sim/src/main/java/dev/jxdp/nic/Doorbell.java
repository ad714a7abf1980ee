package dev.jxdp.nic;

import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * How a polling thread sleeps when it has nothing to do, and how producers wake it: NAPI's
 * "interrupts off while polling, on again when idle". The poller announces it is about to sleep,
 * looks once more for work, and parks; a producer that has published work rings, which unparks it
 * only if it announced sleep. Both sides order their write before their read with a full fence
 * (Dekker's pattern), so no wake-up is lost; the park also times out, so a stop request is seen.
 */
final class Doorbell {
    private volatile Thread owner;
    private volatile boolean sleeping;

    /** The thread that waits here; set by that thread before it first waits. */
    void own(Thread thread) {
        this.owner = thread;
    }

    /** Wakes the owner if it sleeps. Call after publishing work (once per batch is enough). */
    void ring() {
        VarHandle.fullFence(); // the work's publication before the read of sleeping
        if (sleeping) {
            Thread t = owner;
            if (t != null) {
                LockSupport.unpark(t);
            }
        }
    }

    /** Parks the calling owner for up to {@code maxNanos} unless {@code hasWork} says there is work. */
    void sleep(long maxNanos, BooleanSupplier hasWork) {
        sleeping = true; // volatile write then volatile read below: ordered as ring()'s fence orders its side
        try {
            if (!hasWork.getAsBoolean()) {
                LockSupport.parkNanos(this, maxNanos);
            }
        } finally {
            sleeping = false;
        }
    }
}
