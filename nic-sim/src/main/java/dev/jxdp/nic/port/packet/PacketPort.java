package dev.jxdp.nic.port.packet;

import dev.jxdp.nic.HostPort;
import dev.jxdp.nic.Port;
import dev.jxdp.nic.PortConfig;
import dev.jxdp.nic.PortGoneException;
import dev.jxdp.nic.frame.Frame;
import dev.jxdp.nic.frame.FrameLayout;
import dev.jxdp.nic.frame.VnetHeader;
import dev.jxdp.nic.port.posix.VnetFrameWriter;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.time.Instant;

/**
 * A port on an existing interface through an AF_PACKET socket: frames the interface receives are
 * received here, frames transmitted here leave by the interface with the frame's skb mark
 * ({@link Frame#mark()}, as SO_MARK). As the host port on one end of a veth pair, it hands the
 * kernel on the other end what jxdp's tc programs decided, mark included: a veth keeps the mark of
 * what crosses it within one namespace (skb_scrub_packet clears it only across namespaces), where a
 * tap's frames carry none.
 *
 * <p>The socket binds in the namespace jxdp runs in; the interface must be there. Frames the socket
 * itself sends are not received back (PACKET_IGNORE_OUTGOING). An interface deleted while running
 * takes only this port down.
 *
 * <p>Frames are read and written behind a virtio-net header (PACKET_VNET_HDR), as a tap with offloads
 * reads and writes them, because an interface's skbs are not all finished frames: a veth hands on
 * what its peer's stack sent with the TCP or UDP checksum still to fill in (CHECKSUM_PARTIAL, the
 * header's NEEDS_CSUM) and, with TSO on (a veth's default), TCP segments of up to 64 KB whole.
 * Without the header a packet socket gives neither fact: the frames go on with wrong checksums and
 * large ones are cut at the buffer's end. With it the frame keeps both ({@link Frame#setOffload}), a
 * port that cannot take them fills the checksum in and cuts the segment, and frames written here carry
 * theirs to the kernel, which does the rest as late as it can, as for any frame its stack sends.
 * Buffers are therefore {@link FrameLayout#OFFLOADS}, 64 KB and a little.
 *
 * <p>The kernel takes a received frame's outer VLAN tag out before any packet socket sees it; the port
 * puts it back from the socket's auxiliary data (PACKET_AUXDATA), so programs and other ports get
 * the frame as it crossed the wire. A frame read here therefore starts 4 bytes past the usual
 * headroom when it had no tag (260 bytes before it: room for the tag), at the headroom when it had one.
 */
public final class PacketPort extends Port implements HostPort {
    private static final int POLL_MILLIS = 100;
    private static final int VNET = VnetHeader.BASE;
    private static final int VLAN_HLEN = 4;
    private static final java.lang.foreign.ValueLayout.OfShort BE16 =
            java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN);

    private final String device;
    private volatile int fd = -1;
    /** The transmitting thread's calls and the mark its socket has now. */
    private PacketSocket txCalls;
    private int socketMark;
    /** The transmitting thread's writes behind a virtio-net header. */
    private final VnetFrameWriter vnetWriter = new VnetFrameWriter(VNET);

    /** A port on interface {@code device}; its buffers are {@link FrameLayout#OFFLOADS}, whatever {@code config} says. */
    public PacketPort(String name, PortConfig config, String device) {
        super(name, config.withLayout(FrameLayout.OFFLOADS));
        this.device = device;
    }

    public String device() {
        return device;
    }

    /**
     * The MTU of interface {@code device} in this namespace (/sys/class/net/DEV/mtu), which a port on it
     * should have: what an XDP redirect to the port is held to. {@code orElse} if there is no such
     * interface (opening the port then says so).
     */
    public static int interfaceMtu(String device, int orElse) {
        try {
            return readMtu(device);
        } catch (IOException | java.nio.file.InvalidPathException e) {
            return orElse;
        }
    }

    /** /sys/class/net/DEV/mtu, as a number. */
    private static int readMtu(String device) throws IOException {
        String text = java.nio.file.Files.readString(java.nio.file.Path.of("/sys/class/net", device, "mtu")).strip();
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IOException("/sys/class/net/" + device + "/mtu: not a number: '" + text + "'");
        }
    }

    /** The interface's MTU now (/sys/class/net/DEV/mtu); empty until opened and once closed. */
    @Override
    public java.util.OptionalInt linkMtu() throws IOException {
        if (fd < 0) {
            return java.util.OptionalInt.empty();
        }
        return java.util.OptionalInt.of(readMtu(device));
    }

    @Override
    public String describe() {
        return "packet socket on " + device;
    }

    @Override
    protected void open() throws IOException {
        PacketSocket calls = new PacketSocket();
        int ifindex = calls.ifNameToIndex(device);
        if (ifindex == 0) {
            throw new IOException("no interface " + device + " for a packet socket");
        }
        int s = calls.open();
        if (s < 0) {
            int errno = calls.errno();
            if (errno == PacketSocket.EPERM || errno == PacketSocket.EACCES) {
                throw new IOException("a packet socket on " + device + " needs root (CAP_NET_RAW): socket: " + PacketSocket.strerror(errno));
            }
            throw new IOException("socket(AF_PACKET) for " + device + ": " + PacketSocket.strerror(errno));
        }
        if (calls.bind(s, ifindex) < 0 || calls.setInt(s, PacketSocket.SOL_PACKET, PacketSocket.PACKET_IGNORE_OUTGOING, 1) < 0
                || calls.setInt(s, PacketSocket.SOL_PACKET, PacketSocket.PACKET_VNET_HDR, 1) < 0
                || calls.setInt(s, PacketSocket.SOL_PACKET, PacketSocket.PACKET_AUXDATA, 1) < 0) {
            int errno = calls.errno();
            calls.close(s);
            throw new IOException("binding a packet socket to " + device + ": " + PacketSocket.strerror(errno));
        }
        fd = s;
    }

    @Override
    protected boolean hasReceiver() {
        return true;
    }

    @Override
    protected boolean hasTransmitter() {
        return true;
    }

    @Override
    protected void receiveLoop() throws IOException {
        PacketSocket calls = new PacketSocket();
        long epochOffset = epochNanos() - System.nanoTime();
        Frame spare = null;
        try {
            while (receiving()) {
                int events = calls.poll(fd, PacketSocket.POLLIN, POLL_MILLIS);
                if (events < 0) {
                    throw new IOException("poll on the packet socket of " + device + ": " + PacketSocket.strerror(calls.errno()));
                }
                if (events == 0) {
                    continue;
                }
                for (int n = 0; n < 64 && receiving(); n++) {
                    Frame f = spare != null ? spare : newFrame();
                    spare = null;
                    if (f == null) {
                        break; // no buffer: the frame waits in the socket (its buffer overflows and drops, as a full ring)
                    }
                    // the frame is read VLAN_HLEN past its usual start, so that a tag the kernel took out can go back in
                    // front of it with the frame at the usual start; the header goes into the headroom before it
                    int start = f.offset() + VLAN_HLEN;
                    long at = start - VNET;
                    long room = f.maxLength() - VLAN_HLEN + (long) VNET;
                    long got = calls.recvWhole(fd, f.buffer().address() + at, room);
                    if (got < 0) {
                        int errno = calls.errno();
                        spare = f;
                        if (errno == PacketSocket.EAGAIN || errno == PacketSocket.EINTR) {
                            break;
                        }
                        if (errno == PacketSocket.EINVAL) {
                            // a large segment of a kind a virtio-net header cannot describe: the kernel dropped it
                            rxErrors.increment();
                            continue;
                        }
                        throw gone(errno, "read");
                    }
                    if (got > room || got < VNET) {
                        rxErrors.increment(); // larger than a buffer (then cut), or no header: not a frame to pass on
                        spare = f;
                        continue;
                    }
                    f.setBounds(start, (int) (got - VNET), 0);
                    VnetHeader.read(f.buffer(), at, f);
                    long tag = calls.vlanTag();
                    if (tag >= 0) {
                        putTagBack(f, tag);
                    }
                    f.setTimestampNanos(epochOffset + System.nanoTime());
                    deliver(f);
                }
                deliverDone();
            }
        } finally {
            if (spare != null) {
                spare.release();
            }
        }
    }

    /**
     * Puts a VLAN tag the kernel took out of {@code f} (TPID << 16 | TCI) back after its MAC addresses,
     * as libpcap does for what it captures, so that the frame is what crossed the wire: the kernel
     * takes the outer tag out of every frame it receives before a packet socket sees it
     * (skb_vlan_untag in __netif_receive_skb_core), whatever the device. A checksum's start moves with
     * the bytes after the tag (the frame keeps it as a place in the buffer); the header length grows
     * by the tag.
     */
    private static void putTagBack(Frame f, long tag) {
        MemorySegment b = f.buffer();
        int start = f.offset() - VLAN_HLEN;
        MemorySegment.copy(b, f.offset(), b, start, 12);
        b.set(BE16, start + 12, (short) (tag >>> 16));
        b.set(BE16, start + 14, (short) tag);
        f.setBounds(start, f.length() + VLAN_HLEN, 0);
        if (f.offloadFlags() != 0 || f.gsoType() != 0) {
            f.setOffload(f.offloadFlags(), f.gsoType(), f.hdrLen() + VLAN_HLEN, f.gsoSize(), f.csumStart(), f.csumOffset());
        }
    }

    private IOException gone(int errno, String call) {
        if (errno == PacketSocket.ENETDOWN || errno == PacketSocket.ENXIO || errno == PacketSocket.ENODEV) {
            return new PortGoneException("interface " + device + " is gone (" + call + ": " + PacketSocket.strerror(errno) + ")");
        }
        return new IOException(call + " on the packet socket of " + device + ": " + PacketSocket.strerror(errno));
    }

    @Override
    protected void transmit(Frame frame) throws IOException {
        if (txCalls == null) {
            txCalls = new PacketSocket(); // made and used by the transmitting thread only
        }
        int mark = frame.mark();
        if (mark != socketMark) {
            if (txCalls.setInt(fd, PacketSocket.SOL_SOCKET, PacketSocket.SO_MARK, mark) < 0) {
                throw new IOException("setting SO_MARK " + mark + " on the packet socket of " + device + ": "
                        + PacketSocket.strerror(txCalls.errno()));
            }
            socketMark = mark;
        }
        if (vnetWriter.write(txCalls, fd, frame) < 0) {
            throw gone(txCalls.errno(), "write");
        }
    }

    /** Frames with a checksum to fill in or a large segment go to the kernel as they are, with their header. */
    @Override
    protected boolean takesOffloads() {
        return true;
    }

    @Override
    protected void closeResources() {
        if (fd >= 0) {
            new PacketSocket().close(fd);
            fd = -1;
        }
    }

    private static long epochNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }
}
