package dev.jxdp.load;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * The Linux clocks the kernel's time helpers read, so that a jxdp program's timestamps compare with
 * the kernel's and with other processes': System.nanoTime() is CLOCK_MONOTONIC on Linux, the others
 * come from clock_gettime(2). jiffies64 counts HZ = 250 ticks per second (CONFIG_HZ of the reference
 * kernel) from INITIAL_JIFFIES, derived from the boot clock as the kernel's jiffies are.
 */
final class SystemClock implements Clock {
    static final SystemClock INSTANCE = new SystemClock();

    /** CONFIG_HZ of the reference kernel (Linux 6.18, Debian's x86-64 config). */
    static final long HZ = 250;
    /** INITIAL_JIFFIES: (unsigned long)(unsigned int)(-300 * HZ), so that 32-bit jiffies wrap 5 minutes after boot. */
    static final long INITIAL_JIFFIES = (-300 * HZ) & 0xffff_ffffL;

    private static final int CLOCK_MONOTONIC_COARSE = 6;
    private static final int CLOCK_BOOTTIME = 7;
    private static final MethodHandle CLOCK_GETTIME;

    static {
        Linker linker = Linker.nativeLinker();
        CLOCK_GETTIME = linker.downcallHandle(linker.defaultLookup().find("clock_gettime").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
    }

    private final ThreadLocal<MemorySegment> timespec = ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(16, 8));

    private SystemClock() {}

    private long read(int clock) {
        MemorySegment ts = timespec.get();
        try {
            int r = (int) CLOCK_GETTIME.invokeExact(clock, ts);
            if (r != 0) {
                throw new IllegalStateException("clock_gettime(" + clock + ") failed");
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        return ts.get(ValueLayout.JAVA_LONG, 0) * 1_000_000_000L + ts.get(ValueLayout.JAVA_LONG, 8);
    }

    @Override
    public long monotonicNs() {
        return System.nanoTime();
    }

    @Override
    public long bootNs() {
        return read(CLOCK_BOOTTIME);
    }

    @Override
    public long coarseNs() {
        return read(CLOCK_MONOTONIC_COARSE);
    }

    @Override
    public long jiffies64() {
        return jiffiesAt(bootNs());
    }

    static long jiffiesAt(long bootNs) {
        return INITIAL_JIFFIES + bootNs / (1_000_000_000L / HZ);
    }
}
