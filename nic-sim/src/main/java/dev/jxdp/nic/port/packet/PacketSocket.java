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
 * if_nametoindex and recvmsg here, write, writev, poll and close from {@link Posix}, errno captured for all of them.
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
    /**
     * Each frame read comes with a struct tpacket_auxdata (a control message), which holds the VLAN
     * tag the kernel took out of the frame before the socket saw it (skb_vlan_untag, or a device that
     * strips tags): the only place left where the socket can learn it.
     */
    static final int PACKET_AUXDATA = 8;
    /** tpacket_auxdata's tp_status bits: tp_vlan_tci holds a tag; tp_vlan_tpid holds its TPID. */
    static final int TP_STATUS_VLAN_VALID = 0x10;
    static final int TP_STATUS_VLAN_TPID_VALID = 0x40;
    static final int ETH_P_8021Q = 0x8100;
    /** recvmsg(2) returns the frame's whole length, also when it did not fit the buffer. */
    static final int MSG_TRUNC = 0x20;
    static final int ENXIO = 6;
    static final int ENETDOWN = 100;

    private static final MethodHandle SOCKET = downcall("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle BIND = downcall("bind", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle SETSOCKOPT = downcall("setsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle RECVMSG = downcall("recvmsg", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
    /** struct msghdr on x86-64 and aarch64: name, namelen, iov, iovlen, control, controllen, flags. */
    private static final long MSG_IOV = 16;
    private static final long MSG_IOVLEN = 24;
    private static final long MSG_CONTROL = 32;
    private static final long MSG_CONTROLLEN = 40;
    /** CMSG_SPACE(sizeof(struct tpacket_auxdata)) is 40; room for it and a little. */
    private static final int CONTROL_ROOM = 64;
    private static final MethodHandle IF_NAMETOINDEX = downcall("if_nametoindex", FunctionDescriptor.of(JAVA_INT, ADDRESS));

    private final MemorySegment intArg = allocate(4, 4);
    // recvmsg's arguments, made once: the receiving thread reads every frame through them
    private final MemorySegment msg = allocate(56, 8);
    private final MemorySegment iov = allocate(16, 8);
    private final MemorySegment control = allocate(CONTROL_ROOM, 8);

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
     * recvmsg(2) with MSG_TRUNC into {@code count} bytes at {@code address}: the length of what was there
     * to read (more than {@code count} if it did not fit), -1 on error. {@link #vlanTag()} then says
     * whether the frame had a tag taken out.
     */
    long recvWhole(int fd, long address, long count) {
        iov.set(JAVA_LONG, 0, address);
        iov.set(JAVA_LONG, 8, count);
        msg.fill((byte) 0);
        msg.set(JAVA_LONG, MSG_IOV, iov.address());
        msg.set(JAVA_LONG, MSG_IOVLEN, 1);
        msg.set(JAVA_LONG, MSG_CONTROL, control.address());
        msg.set(JAVA_LONG, MSG_CONTROLLEN, CONTROL_ROOM);
        try {
            return (long) RECVMSG.invokeExact(callState(), fd, msg, MSG_TRUNC);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * The VLAN tag the kernel took out of the frame {@link #recvWhole} read, as TPID << 16 | TCI; -1 if
     * it had none. The first control message is the PACKET_AUXDATA one (struct cmsghdr: len, level,
     * type; then struct tpacket_auxdata: status, len, snaplen, mac, net, vlan_tci, vlan_tpid).
     */
    long vlanTag() {
        if (msg.get(JAVA_LONG, MSG_CONTROLLEN) < 16 + 20 || control.get(JAVA_INT, 8) != SOL_PACKET || control.get(JAVA_INT, 12) != PACKET_AUXDATA) {
            return -1;
        }
        int status = control.get(JAVA_INT, 16);
        if ((status & TP_STATUS_VLAN_VALID) == 0) {
            return -1;
        }
        int tci = Short.toUnsignedInt(control.get(JAVA_SHORT, 32));
        int tpid = (status & TP_STATUS_VLAN_TPID_VALID) != 0 ? Short.toUnsignedInt(control.get(JAVA_SHORT, 34)) : ETH_P_8021Q;
        return (long) tpid << 16 | tci;
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
