package dev.jxdp.nic.port.packet;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import dev.jxdp.nic.port.posix.Posix;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * The libc calls of an AF_PACKET socket bound to one interface: socket, bind, setsockopt and
 * if_nametoindex and recv here, write, writev, poll and close from {@link Posix}, errno captured for all of them.
 * Why a packet socket and not libpcap: each frame written may carry an skb mark (SO_MARK, set when it
 * changes), which pcap_inject cannot give.
 *
 * <p>One instance per thread (it owns errno's slot and a pollfd); read and write take raw addresses
 * so that nothing is allocated per frame.
 */
@SuppressWarnings("restricted") // calling libc is this class's purpose
final class PacketSocket extends Posix {
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
    /**
     * Each frame read comes after, and each frame written goes after, a struct virtio_net_hdr
     * (10 bytes): the skb's checksum state and GSO, as a tap's IFF_VNET_HDR gives them.
     */
    static final int PACKET_VNET_HDR = 15;
    /** recv(2) returns the frame's whole length, also when it did not fit the buffer. */
    static final int MSG_TRUNC = 0x20;
    static final int ENXIO = 6;
    static final int ENETDOWN = 100;

    private static final MethodHandle SOCKET = downcall("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle BIND = downcall("bind", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle SETSOCKOPT = downcall("setsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle RECV = downcall("recv", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT));
    private static final MethodHandle IF_NAMETOINDEX = downcall("if_nametoindex", FunctionDescriptor.of(JAVA_INT, ADDRESS));

    private final MemorySegment intArg = allocate(4, 4);

    /** The interface's index, 0 if there is none by that name. */
    int ifNameToIndex(String name) {
        try (Arena a = Arena.ofConfined()) {
            return (int) IF_NAMETOINDEX.invokeExact(callState(), a.allocateFrom(name));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** A non-blocking raw packet socket for every protocol; -1 on error. */
    int open() {
        try {
            return (int) SOCKET.invokeExact(callState(), AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, (int) ETH_P_ALL_BE);
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
            return (int) BIND.invokeExact(callState(), fd, sll, 20);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * recv(2) with MSG_TRUNC into {@code count} bytes at {@code address}: the length of what was there
     * to read (more than {@code count} if it did not fit), -1 on error.
     */
    long recvWhole(int fd, long address, long count) {
        try {
            return (long) RECV.invokeExact(callState(), fd, address, count, MSG_TRUNC);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** setsockopt with an int value; -1 on error. */
    int setInt(int fd, int level, int option, int value) {
        intArg.set(JAVA_INT, 0, value);
        try {
            return (int) SETSOCKOPT.invokeExact(callState(), fd, level, option, intArg, 4);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }
}
