package dev.jxdp.nic.port.packet;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;

/**
 * The libc calls of an AF_PACKET socket bound to one interface (socket, bind, setsockopt,
 * if_nametoindex, read, write, poll, close), as foreign downcalls with errno captured. Why a packet
 * socket and not libpcap: each frame written may carry an skb mark (SO_MARK, set when it changes),
 * which pcap_inject cannot give.
 *
 * <p>One instance per thread (it owns errno's slot and a pollfd); read and write take raw addresses
 * so that nothing is allocated per frame.
 */
@SuppressWarnings("restricted") // calling libc is this class's purpose
final class PacketSocket {
    static final int AF_PACKET = 17;
    static final int SOCK_RAW = 3;
    static final int SOCK_NONBLOCK = 0x800;
    static final int SOCK_CLOEXEC = 0x80000;
    /** htons(ETH_P_ALL): every protocol. */
    static final short ETH_P_ALL_BE = 0x0300;
    static final int SOL_SOCKET = 1;
    static final int SO_MARK = 36;
    static final int SOL_PACKET = 263;
    /** Linux 4.20: frames this socket sends are not looped back to it. */
    static final int PACKET_IGNORE_OUTGOING = 23;
    static final short POLLIN = 0x1;
    static final short POLLERR = 0x8;
    static final short POLLHUP = 0x10;
    static final int EPERM = 1;
    static final int ENXIO = 6;
    static final int EINTR = 4;
    static final int EAGAIN = 11;
    static final int EACCES = 13;
    static final int ENODEV = 19;
    static final int ENETDOWN = 100;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final long ERRNO = CALL_STATE.byteOffset(MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle SOCKET = downcall("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle BIND = downcall("bind", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle SETSOCKOPT = downcall("setsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle IF_NAMETOINDEX = downcall("if_nametoindex", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle READ = downcall("read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle WRITE = downcall("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle POLL = downcall("poll", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle CLOSE = downcall("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle STRERROR = LINKER.downcallHandle(LINKER.defaultLookup().find("strerror").orElseThrow(),
            FunctionDescriptor.of(ADDRESS, JAVA_INT));

    private final Arena arena = Arena.ofAuto();
    private final MemorySegment state = arena.allocate(CALL_STATE);
    private final MemorySegment pollfd = arena.allocate(8, 4);
    private final MemorySegment intArg = arena.allocate(JAVA_INT);

    private static MethodHandle downcall(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name)),
                descriptor, Linker.Option.captureCallState("errno"));
    }

    int errno() {
        return state.get(JAVA_INT, ERRNO);
    }

    /** The interface's index, 0 if there is none by that name. */
    int ifNameToIndex(String name) {
        try (Arena a = Arena.ofConfined()) {
            return (int) IF_NAMETOINDEX.invokeExact(state, a.allocateFrom(name));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** A non-blocking raw packet socket for every protocol; -1 on error. */
    int open() {
        try {
            return (int) SOCKET.invokeExact(state, AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, (int) ETH_P_ALL_BE);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Binds to one interface (struct sockaddr_ll: family, protocol, ifindex; the rest zero). */
    int bind(int fd, int ifindex) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment sll = a.allocate(20, 4);
            sll.set(JAVA_SHORT, 0, (short) AF_PACKET);
            sll.set(JAVA_BYTE, 2, (byte) 0); // sll_protocol, network order: ETH_P_ALL = 0x0003
            sll.set(JAVA_BYTE, 3, (byte) 3);
            sll.set(JAVA_INT, 4, ifindex);
            return (int) BIND.invokeExact(state, fd, sll, 20);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** setsockopt with an int value; -1 on error. */
    int setInt(int fd, int level, int option, int value) {
        intArg.set(JAVA_INT, 0, value);
        try {
            return (int) SETSOCKOPT.invokeExact(state, fd, level, option, intArg, 4);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    long read(int fd, long address, long count) {
        try {
            return (long) READ.invokeExact(state, fd, address, count);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    long write(int fd, long address, long count) {
        try {
            return (long) WRITE.invokeExact(state, fd, address, count);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** poll(2) on one descriptor: the returned events, 0 on timeout or EINTR, -1 on error. */
    int poll(int fd, short events, int timeoutMillis) {
        pollfd.set(JAVA_INT, 0, fd);
        pollfd.set(JAVA_SHORT, 4, events);
        pollfd.set(JAVA_SHORT, 6, (short) 0);
        try {
            int n = (int) POLL.invokeExact(state, pollfd, 1L, timeoutMillis);
            if (n < 0) {
                return errno() == EINTR ? 0 : -1;
            }
            return n == 0 ? 0 : pollfd.get(JAVA_SHORT, 6) & 0xffff;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    int close(int fd) {
        try {
            return (int) CLOSE.invokeExact(state, fd);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static String strerror(int errno) {
        try {
            MemorySegment s = (MemorySegment) STRERROR.invokeExact(errno);
            return s.reinterpret(256).getString(0);
        } catch (Throwable t) {
            return "errno " + errno;
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
