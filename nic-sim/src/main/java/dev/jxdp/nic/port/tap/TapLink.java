package dev.jxdp.nic.port.tap;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import dev.jxdp.nic.port.posix.Posix;
import java.io.IOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;

/**
 * Reads a tap's MTU as it is now, wherever the tap now is. A tap jxdp made is usually moved into
 * another network namespace ({@code ip link set TAP netns NS}) and may be renamed there, out of sight
 * of jxdp's own namespace (its sockets, /sys/class/net); its descriptor still leads to it: TUNGETIFF
 * gives the device's name now, TUNGETDEVNETNS a descriptor of its namespace now. A socket made in
 * that namespace asks SIOCGIFMTU there; the socket belongs to the namespace it was made in, so the
 * thread enters it (setns) only for socket(2) and at once returns to its own.
 *
 * <p>Used by the thread that made it: it keeps a descriptor of that thread's own namespace to return
 * to (a network namespace is a property of a thread). If the return fails, the thread must not go on
 * (its sockets would be made in the tap's namespace): {@link #mtu} throws IllegalStateException.
 */
@SuppressWarnings("restricted") // TUNGETDEVNETNS takes no argument: NULL where a pointer would go
final class TapLink extends Posix {
    /** _IO('T', 227): a new descriptor of the network namespace the tap's device is in now (Linux 5.2). */
    static final long TUNGETDEVNETNS = 0x54e3L;
    /** _IOR('T', 210, unsigned int): struct ifreq with the device's name now and its flags. */
    static final long TUNGETIFF = 0x800454d2L;
    static final int CLONE_NEWNET = 0x40000000;
    private static final MethodHandle SETNS = downcall("setns", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));

    private final int home;
    private final MemorySegment ifr = allocate(Tun.IFREQ, 8);

    /**
     * For the calling thread.
     *
     * @throws IOException if its own namespace cannot be opened (no /proc)
     */
    TapLink() throws IOException {
        home = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
        if (home < 0) {
            throw new IOException("cannot open /proc/thread-self/ns/net: " + strerror(errno()));
        }
    }

    /**
     * The MTU of the tap open on {@code fd} now (what {@code ip -n NS link show NAME} says).
     *
     * @throws IOException naming the call and the kernel's reason (EBADFD: the device is gone)
     */
    int mtu(int fd) throws IOException {
        int ns = ioctl(fd, TUNGETDEVNETNS, MemorySegment.NULL);
        if (ns < 0) {
            throw new IOException("TUNGETDEVNETNS: " + strerror(errno()));
        }
        int sock = -1;
        try {
            ifr.fill((byte) 0);
            if (ioctl(fd, TUNGETIFF, ifr) < 0) {
                throw new IOException("TUNGETIFF: " + strerror(errno()));
            }
            String name = ifr.getString(0, StandardCharsets.US_ASCII);
            if (setns(ns) < 0) {
                throw new IOException("tap " + name + ": setns into its network namespace: " + strerror(errno()));
            }
            sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
            int socketErrno = errno();
            if (setns(home) < 0) {
                throw new IllegalStateException("cannot return to this thread's network namespace after reading tap " + name + "'s MTU: "
                        + strerror(errno()));
            }
            if (sock < 0) {
                throw new IOException("tap " + name + ": socket(AF_INET) in its network namespace: " + strerror(socketErrno));
            }
            if (ioctl(sock, Tun.SIOCGIFMTU, ifr) < 0) {
                throw new IOException("tap " + name + ": SIOCGIFMTU: " + strerror(errno()));
            }
            return ifr.get(ValueLayout.JAVA_INT, Tun.IFNAMSIZ);
        } finally {
            if (sock >= 0) {
                close(sock);
            }
            close(ns);
        }
    }

    private int setns(int nsFd) {
        try {
            return (int) SETNS.invokeExact(callState(), nsFd, CLONE_NEWNET);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public void close() {
        close(home);
    }
}
