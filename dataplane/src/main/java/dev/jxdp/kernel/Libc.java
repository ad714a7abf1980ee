package dev.jxdp.kernel;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;

/**
 * The two libc functions the backend needs, as foreign downcalls: {@code syscall(2)}, because glibc has
 * no bpf() wrapper, and {@code close(2)} for the file descriptors bpf() returns. errno is captured by
 * the linker right after the call ({@code captureCallState}), since anything the JVM does in between
 * could overwrite it.
 *
 * <p>Linking native functions is a restricted operation; the JVM must run with
 * {@code --enable-native-access=ALL-UNNAMED} (Surefire and the launcher pass it) for it to be quiet.
 */
@SuppressWarnings("restricted") // calling into libc is this class's whole purpose
final class Libc {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final long ERRNO_OFFSET = CALL_STATE.byteOffset(PathElement.groupElement("errno"));

    /**
     * {@code long syscall(long number, ...)} called with three variadic arguments. They are passed as
     * C longs (and a pointer) because glibc's syscall reads every variadic argument as a long; an int
     * would leave the upper half of the register undefined.
     */
    private static final MethodHandle SYSCALL3 = LINKER.downcallHandle(
            LINKER.defaultLookup().find("syscall").orElseThrow(() -> new UnsatisfiedLinkError("libc has no syscall()")),
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS, JAVA_LONG),
            Linker.Option.firstVariadicArg(1),
            Linker.Option.captureCallState("errno"));

    /** {@code int close(int fd)}. */
    private static final MethodHandle CLOSE = LINKER.downcallHandle(
            LINKER.defaultLookup().find("close").orElseThrow(() -> new UnsatisfiedLinkError("libc has no close()")),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT),
            Linker.Option.captureCallState("errno"));

    private Libc() {}

    /** What a system call returned: its value, and errno when the value is -1. */
    record Result(long value, int errno) {
        boolean failed() {
            return value == -1;
        }
    }

    /** {@code syscall(number, a1, a2, a3)} with a pointer as second argument. */
    static Result syscall(long number, long a1, MemorySegment a2, long a3) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            long value = (long) SYSCALL3.invokeExact(state, number, a1, a2, a3);
            return new Result(value, value == -1 ? state.get(JAVA_INT, ERRNO_OFFSET) : 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code close(fd)}; its errno, or 0. Linux frees the descriptor even when close fails (EINTR, EIO). */
    static int close(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int rc = (int) CLOSE.invokeExact(state, fd);
            return rc == -1 ? state.get(JAVA_INT, ERRNO_OFFSET) : 0;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException("foreign call failed", t);
    }
}
