package dev.jxdp.nic;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;

/**
 * Pinning a thread to a CPU, which plain Java cannot do: Linux's {@code sched_setaffinity(0, ...)}
 * through java.lang.foreign, where pid 0 is the calling thread. Off by default (a datapath pins its
 * workers only when asked): on a shared 2-core machine pinning competes with everything else, and the
 * JVM's own threads are not pinned anyway.
 */
@SuppressWarnings("restricted") // calling libc is this class's purpose
public final class Affinity {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final long ERRNO = CALL_STATE.byteOffset(MemoryLayout.PathElement.groupElement("errno"));
    /** A cpu_set_t of 1024 CPUs, glibc's CPU_SETSIZE. */
    private static final int SET_BYTES = 128;
    private static final MethodHandle SET = handle("sched_setaffinity");
    private static final MethodHandle GET = handle("sched_getaffinity");
    private static final ThreadLocal<String> LAST_ERROR = new ThreadLocal<>();

    private Affinity() {}

    private static MethodHandle handle(String name) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name)),
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS), Linker.Option.captureCallState("errno"));
    }

    /** Pins the calling thread to {@code cpu}; false if the kernel refused ({@link #lastError()} says why). */
    public static boolean pin(int cpu) {
        if (cpu < 0 || cpu >= SET_BYTES * 8) {
            LAST_ERROR.set("no CPU " + cpu);
            return false;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment set = arena.allocate(SET_BYTES);
            set.set(java.lang.foreign.ValueLayout.JAVA_BYTE, cpu / 8, (byte) (1 << (cpu % 8)));
            MemorySegment state = arena.allocate(CALL_STATE);
            int rc = (int) SET.invokeExact(state, 0, (long) SET_BYTES, set);
            if (rc != 0) {
                int errno = state.get(JAVA_INT, ERRNO);
                LAST_ERROR.set(errno == 22 ? "CPU " + cpu + " is not online or not allowed (EINVAL)" : "errno " + errno);
                return false;
            }
            return true;
        } catch (Throwable t) {
            LAST_ERROR.set(t.toString());
            return false;
        }
    }

    /** The CPUs the calling thread may run on. */
    public static List<Integer> current() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment set = arena.allocate(SET_BYTES);
            MemorySegment state = arena.allocate(CALL_STATE);
            int rc = (int) GET.invokeExact(state, 0, (long) SET_BYTES, set);
            if (rc < 0) {
                throw new IllegalStateException("sched_getaffinity failed, errno " + state.get(JAVA_INT, ERRNO));
            }
            List<Integer> cpus = new ArrayList<>();
            for (int i = 0; i < SET_BYTES * 8; i++) {
                if ((set.get(java.lang.foreign.ValueLayout.JAVA_BYTE, i / 8) & (1 << (i % 8))) != 0) {
                    cpus.add(i);
                }
            }
            return cpus;
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Why the calling thread's last {@link #pin} failed. */
    public static String lastError() {
        return LAST_ERROR.get();
    }
}
