package dev.jxdp.nic.port.tap;

import dev.jxdp.nic.port.posix.Posix;
import dev.jxdp.nic.port.posix.VnetFrameWriter;
import dev.jxdp.nic.HostPort;
import dev.jxdp.nic.Port;
import dev.jxdp.nic.PortConfig;
import dev.jxdp.nic.PortGoneException;
import dev.jxdp.nic.frame.Frame;
import dev.jxdp.nic.frame.FrameLayout;
import dev.jxdp.nic.frame.Offload;
import dev.jxdp.nic.frame.VnetHeader;
import java.io.IOException;
import java.time.Instant;
import java.util.concurrent.locks.LockSupport;

/**
 * A port whose wire is a Linux tap device that jxdp creates and owns: frames the kernel sends out of
 * the tap are received here, frames transmitted here enter the kernel as if received on the tap.
 * Reads and writes go straight between the descriptor and frame buffers (no copy). As a
 * {@link HostPort} the tap is the way to the real Linux stack.
 *
 * <p>The tap is created in the network namespace jxdp runs in and may be moved to another
 * ({@code ip link set TAP netns NS}); jxdp does not configure it (addresses, up). If the device is
 * deleted ({@code ip link del}), the port goes down saying so and the other ports go on. Closing the
 * port removes the device.
 *
 * <p>With offloads ({@link #TapPort(String, PortConfig, String, boolean)}), the tap is opened with
 * IFF_VNET_HDR and TCP segmentation and checksum offloads (see {@link Tun}): the kernel then hands
 * over TCP segments of up to 64 KB and frames whose checksum is left to fill in, each behind a
 * virtio-net header, which the frame carries ({@link Frame#setOffload}) through the pipeline to the
 * port it leaves by. A tap with offloads writes it back, so the kernel on the other side takes the
 * large segment whole (and cuts it, if it must, as late as it can); a port without them gets it cut in
 * software ({@link dev.jxdp.nic.frame.Segmenter}). Buffers are then {@link FrameLayout#OFFLOADS}: 64 KB
 * and a little. XDP programs see such a segment whole, in one buffer: this is what the kernel's own
 * tap does with a program attached (tun_get_user runs a frame too large for tun_build_skb through
 * do_xdp_generic, and generic XDP linearises a GSO skb for a program that is not frags-aware), so a
 * program here sees what it would see on the tap in the kernel, not the MTU-sized frames a native
 * driver without GRO would give it.
 *
 * <p>A lossless tap ({@link #TapPort(String, PortConfig, String, boolean, boolean)}) does not drop
 * when a ring or the buffer pool is full, as a NIC does: its receiving thread waits for room (and
 * frames wait in the tap's own queue in the kernel, which drops there if it must, as tun does), and a
 * worker sending out of it waits for room in its transmit ring. This is how the kernel's own paths
 * between namespaces behave (a write to a tap, or a veth into a bridge, runs the receiving stack in
 * the sender's context: backpressure, not loss), and TCP across the switch then loses almost nothing
 * where it lost about 8% of its segments to full rings. The price is that of any lossless fabric: a
 * slow tap holds up the worker, and so the other ports it serves.
 */
public final class TapPort extends Port implements HostPort {
    private static final int POLL_MILLIS = 100;
    private static final int VNET = Tun.VNET_HDR_LEN;

    /** A new tap's MTU (ETH_DATA_LEN). */
    private static final int ETH_DATA_LEN = 1500;
    private final String requestedName;
    private final boolean offloads;
    private final boolean lossless;
    private static final System.Logger LOG = System.getLogger(TapPort.class.getName());
    private volatile String deviceName;
    private volatile boolean persistent;
    private volatile int fd = -1;

    /** A tap named {@code device} (at most 15 characters; "tap%d" lets the kernel pick a number). */
    public TapPort(String name, PortConfig config, String device) {
        this(name, config, device, false, false);
    }

    /**
     * A tap named {@code device}, with {@code offloads} opened with the virtio-net header and TCP
     * offloads (its buffers then {@link FrameLayout#OFFLOADS}, whatever {@code config} says).
     */
    public TapPort(String name, PortConfig config, String device, boolean offloads) {
        this(name, config, device, offloads, false);
    }

    /**
     * A tap named {@code device}, with or without {@code offloads}, and {@code lossless} or dropping
     * when its rings are full (see the class comment).
     */
    public TapPort(String name, PortConfig config, String device, boolean offloads, boolean lossless) {
        super(name, offloads ? config.withLayout(FrameLayout.OFFLOADS) : config);
        this.requestedName = device;
        this.offloads = offloads;
        this.lossless = lossless;
    }

    /** Whether frames wait for room in this tap's rings and buffers instead of being dropped. */
    public boolean lossless() {
        return lossless;
    }

    /** Whether the tap takes and gives large segments and partial checksums (IFF_VNET_HDR). */
    public boolean offloads() {
        return offloads;
    }

    /** Frames received with a gso_type (large segments the kernel handed over whole). */
    public final dev.jxdp.nic.Counter largeReceived = new dev.jxdp.nic.Counter();
    /** Frames written with a gso_type (large segments handed on whole). */
    public final dev.jxdp.nic.Counter largeSent = new dev.jxdp.nic.Counter();

    /** Whether the tap existed before as a persistent tap (ip tuntap add), attached to and left in place at close. */
    public boolean persistent() {
        return persistent;
    }

    /** The device's name, as the kernel gave it (after start). */
    public String device() {
        return deviceName != null ? deviceName : requestedName;
    }

    @Override
    public String describe() {
        return "tap " + device(); // the same with or without offloads: stats output is parsed by people and tests
    }

    @Override
    protected void open() throws IOException {
        try (Posix posix = new Posix()) {
            Tun.Tap tap = Tun.create(posix, requestedName, offloads);
            fd = tap.fd();
            deviceName = tap.name();
            persistent = tap.persistent();
            if (persistent) {
                LOG.log(System.Logger.Level.INFO, "port {0}: tap {1} exists and is persistent (ip tuntap add): attached to it, and it stays when"
                        + " the port closes", name(), tap.name());
            }
            if (config().mtu() != ETH_DATA_LEN) {
                // the port's MTU is the device's: what XDP redirects to it are held to (set while the tap is still ours)
                try {
                    Tun.setMtu(posix, tap.name(), config().mtu());
                } catch (IOException e) {
                    posix.close(fd);
                    fd = -1;
                    throw e;
                }
            }
        }
    }

    /** The tap's MTU now, wherever it was moved and whatever it was renamed to ({@link TapLink}); empty once closed. */
    @Override
    public java.util.OptionalInt linkMtu() throws IOException {
        int now = fd;
        if (now < 0) {
            return java.util.OptionalInt.empty();
        }
        try (TapLink link = new TapLink()) {
            return java.util.OptionalInt.of(link.mtu(now));
        }
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
        try (Posix posix = new Posix()) {
            long epochOffset = epochNanos() - System.nanoTime();
            Frame spare = null;
            boolean empty = true; // poll(2) only once a read found nothing: a busy tap is read without it
            try {
                while (receiving()) {
                    if (empty) {
                        int events = posix.poll(fd, Posix.POLLIN, POLL_MILLIS);
                        if (events < 0) {
                            throw new IOException("poll on tap " + device() + ": " + Posix.strerror(posix.errno()));
                        }
                        if ((events & Posix.POLLIN) == 0 && (events & (Posix.POLLERR | Posix.POLLHUP)) != 0) {
                            // tun's poll reports only this once the device has been detached from the descriptor
                            throw new PortGoneException("tap " + device() + " was deleted");
                        }
                        if ((events & Posix.POLLIN) == 0) {
                            continue;
                        }
                    }
                    empty = false;
                    for (int n = 0; n < 64 && receiving(); n++) {
                        Frame f = spare != null ? spare : newFrame();
                        spare = null;
                        if (f == null && lossless) {
                            // no buffer: they are all in rings on their way out; leave the frame in the tap's queue meanwhile
                            deliverDone();
                            LockSupport.parkNanos(20_000);
                            continue;
                        }
                        if (f == null) {
                            // no buffer: take the frame off the device anyway (into nothing) and count it
                            if (!discardOne(posix)) {
                                empty = true;
                                break;
                            }
                            continue;
                        }
                        int got = readInto(posix, f);
                        if (got < 0) {
                            spare = f; // nothing more to read now: keep the buffer for next time
                            empty = true;
                            break;
                        }
                        if (got == 0) {
                            continue; // a frame the port could not use (counted), its buffer reused
                        }
                        f.setTimestampNanos(epochOffset + System.nanoTime());
                        if (lossless) {
                            deliverWaiting(f);
                        } else {
                            deliver(f);
                        }
                    }
                    deliverDone();
                }
            } finally {
                if (spare != null) {
                    spare.release();
                }
            }
        }
    }

    /**
     * Reads one frame into {@code f}: 1 if it did, -1 if there is none now, 0 if the frame was
     * unusable (a header that does not fit it; counted as a receive error, {@code f} released).
     */
    private int readInto(Posix posix, Frame f) throws IOException {
        int at = offloads ? f.offset() - VNET : f.offset();
        long n = posix.read(fd, f.buffer().address() + at, f.maxLength() + (long) (f.offset() - at));
        if (n < 0) {
            int errno = posix.errno();
            if (errno == Posix.EAGAIN || errno == Posix.EINTR) {
                return -1;
            }
            f.release();
            throw gone(errno, "read");
        }
        if (n > f.maxLength() + (long) (f.offset() - at)) {
            // tun returns the frame's whole length when it copied only what fitted: a frame too large for the buffer
            rxErrors.increment();
            f.release();
            return 0;
        }
        if (!offloads) {
            f.setLength((int) n);
            return 1;
        }
        if (n < VNET) {
            rxErrors.increment();
            f.release();
            return 0;
        }
        f.setLength((int) n - VNET);
        if (VnetHeader.read(f.buffer(), at, f)) {
            largeReceived.increment();
        }
        return 1;
    }

    private boolean discardOne(Posix posix) throws IOException {
        try (java.lang.foreign.Arena a = java.lang.foreign.Arena.ofConfined()) {
            var scratch = a.allocate(config().layout().frameRoom() + VNET);
            long n = posix.read(fd, scratch.address(), scratch.byteSize());
            if (n < 0) {
                int errno = posix.errno();
                if (errno == Posix.EAGAIN || errno == Posix.EINTR) {
                    return false;
                }
                throw gone(errno, "read");
            }
            int skip = offloads ? VNET : 0;
            missed(scratch, skip, (int) Math.max(0, n - skip));
            return true;
        }
    }

    private IOException gone(int errno, String call) {
        if (errno == Posix.EBADFD) {
            return new PortGoneException("tap " + device() + " was deleted");
        }
        return new IOException(call + " on tap " + device() + ": " + Posix.strerror(errno));
    }

    /** The transmitting thread's libc calls. */
    private Posix txPosix;
    /** The transmitting thread's writes behind a virtio-net header. */
    private final VnetFrameWriter vnetWriter = new VnetFrameWriter(VNET);

    /** Lossless: a worker waits for room in this tap's transmit ring rather than drop (see the class comment). */
    @Override
    protected boolean waitsForRoom() {
        return lossless;
    }

    @Override
    protected boolean takesOffloads() {
        return offloads;
    }

    @Override
    protected void transmit(Frame frame) throws IOException {
        if (txPosix == null) {
            txPosix = new Posix(); // made and used by the transmitting thread only
        }
        long n;
        if (!offloads) {
            n = txPosix.write(fd, frame.buffer().address() + frame.offset(), frame.length());
        } else {
            n = vnetWriter.write(txPosix, fd, frame);
        }
        if (n < 0) {
            int errno = txPosix.errno();
            // EIO: the device is down (not yet configured): the frame is lost, as on a link without carrier
            throw gone(errno, "write");
        }
        if (frame.gsoType() != Offload.GSO_NONE) {
            largeSent.increment();
        }
    }

    @Override
    protected void closeResources() {
        if (fd >= 0) {
            try (Posix posix = new Posix()) {
                posix.close(fd); // a tap that is not persistent goes away with its last descriptor
            }
            fd = -1;
        }
    }

    private static long epochNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }
}
