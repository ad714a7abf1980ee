package dev.jxdp.testing;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Pins the calling thread to one CPU (sched_setaffinity on thread 0 = the caller), as the kernel's LRU
 * selftests do: the kernel's LRU lists are per CPU, so its choices are reproducible only on one CPU.
 */
public final class Affinity implements AutoCloseable {
    private static final int MASK_BYTES = 128;
    private static final MethodHandle GET;
    private static final MethodHandle SET;

    static {
        Linker linker = Linker.nativeLinker();
        FunctionDescriptor fd = FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG,
                ValueLayout.ADDRESS);
        GET = linker.downcallHandle(linker.defaultLookup().find("sched_getaffinity").orElseThrow(), fd);
        SET = linker.downcallHandle(linker.defaultLookup().find("sched_setaffinity").orElseThrow(), fd);
    }

    private final Arena arena = Arena.ofConfined();
    private final MemorySegment saved = arena.allocate(MASK_BYTES);

    private Affinity(int cpu) {
        try {
            if ((int) GET.invokeExact(0, (long) MASK_BYTES, saved) != 0) {
                throw new IllegalStateException("sched_getaffinity failed");
            }
            MemorySegment mask = arena.allocate(MASK_BYTES);
            mask.set(ValueLayout.JAVA_BYTE, cpu / 8, (byte) (1 << (cpu % 8)));
            if ((int) SET.invokeExact(0, (long) MASK_BYTES, mask) != 0) {
                throw new IllegalStateException("sched_setaffinity to CPU " + cpu + " failed");
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Pins this thread to {@code cpu} until {@link #close()}. */
    public static Affinity pin(int cpu) {
        return new Affinity(cpu);
    }

    @Override
    public void close() {
        try {
            int ignored = (int) SET.invokeExact(0, (long) MASK_BYTES, saved);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        } finally {
            arena.close();
        }
    }
}
