package dev.jxdp.nic.port.posix;

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

/**
 * The libc calls the ports on file descriptors share (open, socket, ioctl, read, write, poll, close, strerror),
 * as foreign downcalls. Hand-written because no library opens /dev/net/tun or an AF_PACKET socket
 * with a mark per frame: Java has neither, and JNA or JNI would bring a native layer
 * java.lang.foreign makes unnecessary. errno is captured by the linker right after each call; a
 * subclass adds its own calls with {@link #downcall} and {@link #callState()}, so that {@link #errno()}
 * answers for them too.
 *
 * <p>One instance per thread (not thread-safe): it owns the memory the calls use (errno's slot, a pollfd), so that a
 * read or write on the hot path allocates nothing. read and write take the buffer as a raw address
 * (a {@code long}, which the C ABI passes as it passes a pointer) so that no MemorySegment is made
 * per frame; the caller keeps the memory alive (a frame it holds).
 */
@SuppressWarnings("restricted") // calling libc is this class's purpose
public class Posix implements AutoCloseable {
    public static final int O_RDONLY = 0;
    public static final int O_RDWR = 2;
    public static final int O_NONBLOCK = 0x800;
    public static final int O_CLOEXEC = 0x80000;
    public static final short POLLIN = 0x1;
    public static final short POLLERR = 0x8;
    public static final short POLLHUP = 0x10;
    public static final short POLLNVAL = 0x20;
    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int EINTR = 4;
    public static final int EIO = 5;
    public static final int EAGAIN = 11;
    public static final int EACCES = 13;
    public static final int EBUSY = 16;
    public static final int ENODEV = 19;
    public static final int EINVAL = 22;
    public static final int EBADFD = 77;
    public static final int AF_INET = 2;
    public static final int SOCK_DGRAM = 2;
    public static final int SOCK_CLOEXEC = 0x80000;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final long ERRNO = CALL_STATE.byteOffset(MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle OPEN = downcall("open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle IOCTL = downcall("ioctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS));
    private static final MethodHandle READ = downcall("read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle WRITE = downcall("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle WRITEV = downcall("writev", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle POLL = downcall("poll", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle CLOSE = downcall("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle SOCKET = downcall("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle STRERROR = LINKER.downcallHandle(LINKER.defaultLookup().find("strerror").orElseThrow(),
            FunctionDescriptor.of(ADDRESS, JAVA_INT));

    // Freed by the garbage collector: an instance may outlive its thread's loop (the transmitter's does).
    private final Arena arena = Arena.ofAuto();
    private final MemorySegment state = arena.allocate(CALL_STATE);
    private final MemorySegment pollfd = arena.allocate(8, 4);
    private MemorySegment iov; // two struct iovec, made on first writev2

    /** Where this instance's calls leave errno: the first argument of a {@link #downcall}'s handle. */
    protected final MemorySegment callState() {
        return state;
    }

    /** Memory that lives as long as this instance, for a subclass's per-call arguments. */
    protected final MemorySegment allocate(long size, long alignment) {
        return arena.allocate(size, alignment);
    }

    /** A libc function with errno captured into the call state its first argument takes. */
    protected static MethodHandle downcall(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name)),
                descriptor, Linker.Option.captureCallState("errno"));
    }

    /** errno of this thread's last failed call. */
    public int errno() {
        return state.get(JAVA_INT, ERRNO);
    }

    public int open(String path, int flags) {
        try (Arena a = Arena.ofConfined()) {
            return (int) OPEN.invokeExact(state, a.allocateFrom(path), flags);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public int ioctl(int fd, long request, MemorySegment arg) {
        try {
            return (int) IOCTL.invokeExact(state, fd, request, arg);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** read(2) into {@code count} bytes at {@code address}. */
    public long read(int fd, long address, long count) {
        try {
            return (long) READ.invokeExact(state, fd, address, count);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** write(2) of {@code count} bytes at {@code address}. */
    public long write(int fd, long address, long count) {
        try {
            return (long) WRITE.invokeExact(state, fd, address, count);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** writev(2) of two pieces: {@code count1} bytes at {@code address1}, then {@code count2} at {@code address2}. */
    public long writev2(int fd, long address1, long count1, long address2, long count2) {
        if (iov == null) {
            iov = arena.allocate(32, 8);
        }
        iov.set(JAVA_LONG, 0, address1);
        iov.set(JAVA_LONG, 8, count1);
        iov.set(JAVA_LONG, 16, address2);
        iov.set(JAVA_LONG, 24, count2);
        try {
            return (long) WRITEV.invokeExact(state, fd, iov, 2);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * poll(2) on one descriptor for {@code events}; the returned events, 0 on timeout, -1 on error
     * (errno says which; EINTR is reported as a timeout).
     */
    public int poll(int fd, short events, int timeoutMillis) {
        pollfd.set(JAVA_INT, 0, fd);
        pollfd.set(java.lang.foreign.ValueLayout.JAVA_SHORT, 4, events);
        pollfd.set(java.lang.foreign.ValueLayout.JAVA_SHORT, 6, (short) 0);
        try {
            int n = (int) POLL.invokeExact(state, pollfd, 1L, timeoutMillis);
            if (n < 0) {
                return errno() == EINTR ? 0 : -1;
            }
            return n == 0 ? 0 : pollfd.get(java.lang.foreign.ValueLayout.JAVA_SHORT, 6) & 0xffff;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** socket(2): a descriptor, or -1 with {@link #errno()} set. */
    public int socket(int domain, int type, int protocol) {
        try {
            return (int) SOCKET.invokeExact(state, domain, type, protocol);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public int close(int fd) {
        try {
            return (int) CLOSE.invokeExact(state, fd);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** The C library's text for {@code errno}. */
    public static String strerror(int errno) {
        try {
            MemorySegment s = (MemorySegment) STRERROR.invokeExact(errno);
            return s.reinterpret(256).getString(0);
        } catch (Throwable t) {
            return "errno " + errno;
        }
    }

    @Override
    public void close() {
        // the arena is automatic; nothing to give back early
    }

    protected static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException("foreign call failed", t);
    }
}
