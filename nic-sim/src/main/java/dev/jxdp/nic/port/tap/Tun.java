package dev.jxdp.nic.port.tap;

import dev.jxdp.nic.port.posix.Posix;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * Creating a tap device through /dev/net/tun: open the clone device, then TUNSETIFF with IFF_TAP (an
 * Ethernet device) and IFF_NO_PI (frames without the 4-byte packet-information prefix), as
 * Documentation/networking/tuntap.rst describes. The device lives as long as the descriptor (it is not
 * made persistent), so jxdp owns it: closing the port removes it.
 */
final class Tun {
    static final String CLONE_DEVICE = "/dev/net/tun";
    /** _IOW('T', 202, int). */
    static final long TUNSETIFF = 0x400454caL;
    static final short IFF_TAP = 0x0002;
    static final short IFF_NO_PI = 0x1000;
    /** Each frame read or written is preceded by a virtio-net header. */
    static final short IFF_VNET_HDR = 0x4000;
    /** _IOW('T', 216, int): the virtio-net header's size (a pointer to an int). */
    static final long TUNSETVNETHDRSZ = 0x400454d8L;
    /** _IOW('T', 208, unsigned int): the offloads the reader takes (the flags as the argument itself, not a pointer). */
    static final long TUNSETOFFLOAD = 0x400454d0L;
    static final int TUN_F_CSUM = 0x01;
    static final int TUN_F_TSO4 = 0x02;
    static final int TUN_F_TSO6 = 0x04;
    static final int TUN_F_TSO_ECN = 0x08;
    /**
     * The header jxdp asks for: struct virtio_net_hdr_mrg_rxbuf, 12 bytes (the 10 of virtio_net_hdr
     * and num_buffers, which a tap ignores), so that the frame after it starts 4-byte aligned.
     */
    static final int VNET_HDR_LEN = 12;
    /** Checksums left to the reader, TCP segments of up to 64 KB over IPv4 and IPv6, with or without ECN. */
    static final int OFFLOADS = TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6 | TUN_F_TSO_ECN;
    /** IFNAMSIZ. */
    static final int IFNAMSIZ = 16;
    /** sizeof(struct ifreq). */
    static final int IFREQ = 40;

    /**
     * An open tap: its descriptor (non-blocking), the name the kernel gave it, and whether it is a
     * persistent tap that existed before (made by {@code ip tuntap add}), which outlives the descriptor.
     */
    record Tap(int fd, String name, boolean persistent) {}

    /** TUNSETIFF's flag of a tap that stays when its last descriptor closes (TUNSETPERSIST, ip tuntap add). */
    static final int IFF_PERSIST = 0x0800;
    /** _IOR('T', 210, unsigned int): the tap's name and flags, into a struct ifreq. */
    static final long TUNGETIFF = 0x800454d2L;

    private Tun() {}

    /** SIOCSIFMTU (linux/sockios.h): set a device's MTU through any socket, struct ifreq's int after the name. */
    static final long SIOCSIFMTU = 0x8922L;
    /** SIOCGIFMTU (linux/sockios.h): read it, the same way. */
    static final long SIOCGIFMTU = 0x8921L;

    /**
     * Sets device {@code name}'s MTU (as {@code ip link set NAME mtu N} does), while it is still in this
     * process's network namespace.
     *
     * @throws IOException naming the device, the MTU and the kernel's reason
     */
    static void setMtu(Posix posix, String name, int mtu) throws IOException {
        int sock = posix.socket(Posix.AF_INET, Posix.SOCK_DGRAM | Posix.SOCK_CLOEXEC, 0);
        if (sock < 0) {
            throw new IOException("socket(AF_INET) to set the MTU of tap " + name + ": " + Posix.strerror(posix.errno()));
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ifr = arena.allocate(IFREQ);
            byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
            MemorySegment.copy(bytes, 0, ifr, ValueLayout.JAVA_BYTE, 0, bytes.length);
            ifr.set(ValueLayout.JAVA_INT, IFNAMSIZ, mtu);
            if (posix.ioctl(sock, SIOCSIFMTU, ifr) < 0) {
                throw new IOException("tap " + name + ": cannot set MTU " + mtu + ": " + Posix.strerror(posix.errno()));
            }
        } finally {
            posix.close(sock);
        }
    }

    /**
     * Creates tap {@code name} ("tap%d" lets the kernel number it).
     *
     * @throws IOException with a message that says what to do: load the tun module, run as root, pick
     *     another name
     */
    static Tap create(Posix posix, String name) throws IOException {
        return create(posix, name, false);
    }

    /**
     * Creates tap {@code name}; with {@code offloads}, opened with IFF_VNET_HDR, a
     * {@value #VNET_HDR_LEN}-byte header (TUNSETVNETHDRSZ) and {@link #OFFLOADS} (TUNSETOFFLOAD), so that
     * the kernel hands over (and takes) TCP segments of up to 64 KB and frames whose checksum is
     * still to be filled in, each behind a virtio-net header.
     */
    @SuppressWarnings("restricted") // TUNSETOFFLOAD takes its flags where a pointer would go
    static Tap create(Posix posix, String name, boolean offloads) throws IOException {
        byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
        if (bytes.length == 0 || bytes.length >= IFNAMSIZ) {
            throw new IOException("tap name \"" + name + "\" must be 1 to " + (IFNAMSIZ - 1) + " characters (IFNAMSIZ)");
        }
        int fd = posix.open(CLONE_DEVICE, Posix.O_RDWR | Posix.O_NONBLOCK | Posix.O_CLOEXEC);
        if (fd < 0) {
            int errno = posix.errno();
            throw new IOException(switch (errno) {
                case Posix.ENOENT, Posix.ENODEV -> CLONE_DEVICE + " does not exist: this kernel has no tun/tap device (CONFIG_TUN; modprobe tun)";
                case Posix.EACCES, Posix.EPERM -> "cannot open " + CLONE_DEVICE + " (" + Posix.strerror(errno)
                        + "): creating tap " + name + " needs root (CAP_NET_ADMIN)";
                default -> "cannot open " + CLONE_DEVICE + ": " + Posix.strerror(errno);
            });
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ifr = arena.allocate(IFREQ);
            MemorySegment.copy(bytes, 0, ifr, ValueLayout.JAVA_BYTE, 0, bytes.length);
            ifr.set(ValueLayout.JAVA_SHORT, IFNAMSIZ, (short) (IFF_TAP | IFF_NO_PI | (offloads ? IFF_VNET_HDR : 0)));
            if (posix.ioctl(fd, TUNSETIFF, ifr) < 0) {
                int errno = posix.errno();
                posix.close(fd);
                throw new IOException(switch (errno) {
                    case Posix.EPERM, Posix.EACCES -> "creating tap " + name + " needs root (CAP_NET_ADMIN): TUNSETIFF: " + Posix.strerror(errno);
                    case Posix.EBUSY -> "tap " + name + " exists and another process has it open";
                    case Posix.EINVAL -> "cannot create tap " + name + ": a device of that name exists and is not a tap, or the name is invalid";
                    default -> "cannot create tap " + name + ": TUNSETIFF: " + Posix.strerror(errno);
                });
            }
            String device = ifr.getString(0, StandardCharsets.US_ASCII);
            if (offloads) {
                MemorySegment size = arena.allocate(ValueLayout.JAVA_INT);
                size.set(ValueLayout.JAVA_INT, 0, VNET_HDR_LEN);
                if (posix.ioctl(fd, TUNSETVNETHDRSZ, size) < 0 || posix.ioctl(fd, TUNSETOFFLOAD, MemorySegment.ofAddress(OFFLOADS)) < 0) {
                    int errno = posix.errno();
                    posix.close(fd);
                    throw new IOException("tap " + device + ": this kernel's tun refuses the virtio-net header or TCP offloads ("
                            + Posix.strerror(errno) + "): open it with offloads off");
                }
            }
            // TUNSETIFF attaches to a persistent tap of that name instead of creating one: say so (jxdp never sets IFF_PERSIST)
            boolean persistent = posix.ioctl(fd, TUNGETIFF, ifr) == 0 && (ifr.get(ValueLayout.JAVA_SHORT, IFNAMSIZ) & IFF_PERSIST) != 0;
            return new Tap(fd, device, persistent);
        }
    }
}
