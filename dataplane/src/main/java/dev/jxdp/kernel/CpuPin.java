package dev.jxdp.kernel;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Pins the calling thread to one CPU (sched_setaffinity of thread 0, the caller) and restores its
 * mask on close. BPF_PROG_TEST_RUN runs XDP and tc programs on the CPU of the calling thread (it
 * takes no cpu for them), so pinning is what makes the kernel's per-CPU map slots and
 * bpf_get_smp_processor_id agree with jxdp's worker 0 packet after packet; the kernel's LRU lists
 * are per CPU too, so its eviction choices are reproducible only on one CPU (as its selftests pin).
 */
public final class CpuPin implements AutoCloseable {
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

    private CpuPin(int cpu) {
        MemorySegment mask = arena.allocate(MASK_BYTES);
        mask.set(ValueLayout.JAVA_BYTE, cpu / 8, (byte) (1 << (cpu % 8)));
        if (call(GET, saved) != 0 || call(SET, mask) != 0) {
            arena.close();
            throw new IllegalStateException("cannot pin the thread to CPU " + cpu + " (sched_setaffinity failed)");
        }
    }

    /** Pins this thread to {@code cpu} until {@link #close()}. */
    public static CpuPin to(int cpu) {
        return new CpuPin(cpu);
    }

    private static int call(MethodHandle h, MemorySegment mask) {
        try {
            return (int) h.invokeExact(0, (long) MASK_BYTES, mask);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @Override
    public void close() {
        try {
            call(SET, saved);
        } finally {
            arena.close();
        }
    }
}
