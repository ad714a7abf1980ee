package dev.jxdp.nic.port.tap;

import dev.jxdp.nic.port.posix.Posix;
import dev.jxdp.nic.HostPort;
import dev.jxdp.nic.Port;
import dev.jxdp.nic.PortConfig;
import dev.jxdp.nic.PortGoneException;
import dev.jxdp.nic.frame.Frame;
import java.io.IOException;
import java.time.Instant;

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
 */
public final class TapPort extends Port implements HostPort {
    private static final int POLL_MILLIS = 100;

    private final String requestedName;
    private volatile String deviceName;
    private volatile int fd = -1;

    /** A tap named {@code device} (at most 15 characters; "tap%d" lets the kernel pick a number). */
    public TapPort(String name, PortConfig config, String device) {
        super(name, config);
        this.requestedName = device;
    }

    /** The device's name, as the kernel gave it (after start). */
    public String device() {
        return deviceName != null ? deviceName : requestedName;
    }

    @Override
    public String describe() {
        return "tap " + device();
    }

    @Override
    protected void open() throws IOException {
        try (Posix posix = new Posix()) {
            Tun.Tap tap = Tun.create(posix, requestedName);
            fd = tap.fd();
            deviceName = tap.name();
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
            try {
                while (receiving()) {
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
                    for (int n = 0; n < 64 && receiving(); n++) {
                        Frame f = spare != null ? spare : newFrame();
                        spare = null;
                        if (f == null) {
                            // no buffer: take the frame off the device anyway (into nothing) and count it
                            if (!discardOne(posix)) {
                                break;
                            }
                            continue;
                        }
                        if (!readInto(posix, f)) {
                            spare = f; // nothing more to read now: keep the buffer for next time
                            break;
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
    }

    /** Reads one frame into {@code f}; false if there is none now. */
    private boolean readInto(Posix posix, Frame f) throws IOException {
        if (f == null) {
            return false;
        }
        long n = posix.read(fd, f.buffer().address() + f.offset(), f.maxLength());
        if (n < 0) {
            int errno = posix.errno();
            if (errno == Posix.EAGAIN || errno == Posix.EINTR) {
                return false;
            }
            f.release();
            throw gone(errno, "read");
        }
        f.setLength((int) n);
        return true;
    }

    private boolean discardOne(Posix posix) throws IOException {
        try (java.lang.foreign.Arena a = java.lang.foreign.Arena.ofConfined()) {
            var scratch = a.allocate(config().layout().frameRoom());
            long n = posix.read(fd, scratch.address(), scratch.byteSize());
            if (n < 0) {
                int errno = posix.errno();
                if (errno == Posix.EAGAIN || errno == Posix.EINTR) {
                    return false;
                }
                throw gone(errno, "read");
            }
            missed(scratch, 0, (int) n);
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

    @Override
    protected void transmit(Frame frame) throws IOException {
        if (txPosix == null) {
            txPosix = new Posix(); // made and used by the transmitting thread only
        }
        long n = txPosix.write(fd, frame.buffer().address() + frame.offset(), frame.length());
        if (n < 0) {
            int errno = txPosix.errno();
            // EIO: the device is down (not yet configured): the frame is lost, as on a link without carrier
            throw gone(errno, "write");
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
