package dev.jxdp.nic.port.live;

import dev.jxdp.nic.Port;
import dev.jxdp.nic.PortConfig;
import dev.jxdp.nic.PortGoneException;
import dev.jxdp.nic.frame.Frame;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.sql.Timestamp;
import java.util.concurrent.TimeoutException;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapNetworkInterface;
import org.pcap4j.core.Pcaps;

/**
 * A port on an existing network interface (a veth, a physical NIC) through pcap4j: libpcap captures
 * the frames that arrive on it (inbound only, promiscuous, immediate mode, nanosecond timestamps) and
 * injects the frames transmitted here (pcap_sendpacket). Two handles are used, one to capture and one
 * to inject, so that the receiving and transmitting threads never share a libpcap handle, and
 * capturing inbound only keeps jxdp from receiving its own transmissions.
 *
 * <p>pcap4j hands each captured frame over as a new byte array, copied into a frame buffer; sending
 * copies each frame into one reused array. If the interface is deleted, the port goes down.
 */
public final class LivePort extends Port {
    private static final int READ_TIMEOUT_MILLIS = 100;

    private final String iface;
    private PcapHandle capture;
    private PcapHandle inject;
    private byte[] sendBuffer;

    public LivePort(String name, PortConfig config, String iface) {
        super(name, config);
        this.iface = iface;
    }

    @Override
    public String describe() {
        return "live interface " + iface;
    }

    public String iface() {
        return iface;
    }

    @Override
    protected void open() throws IOException {
        try {
            PcapNetworkInterface nif = Pcaps.getDevByName(iface);
            if (nif == null) {
                throw new IOException("no interface " + iface + " (ip link show lists them)");
            }
            capture = new PcapHandle.Builder(iface).snaplen(config().layout().frameRoom())
                    .promiscuousMode(PcapNetworkInterface.PromiscuousMode.PROMISCUOUS).timeoutMillis(READ_TIMEOUT_MILLIS).immediateMode(true)
                    .timestampPrecision(PcapHandle.TimestampPrecision.NANO).direction(PcapHandle.PcapDirection.IN).build();
            if (capture.getDlt().value() != 1) {
                String dlt = capture.getDlt().toString();
                capture.close();
                throw new IOException("interface " + iface + " is not Ethernet (" + dlt + ")");
            }
            inject = new PcapHandle.Builder(iface).snaplen(64).timeoutMillis(READ_TIMEOUT_MILLIS).build();
            sendBuffer = new byte[config().layout().frameRoom()];
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            throw new IOException("opening interface " + iface + " needs libpcap (Debian: apt-get install libpcap0.8): " + e.getMessage());
        } catch (PcapNativeException e) {
            closeResources();
            String m = oneLine(e.getMessage());
            throw new IOException(m.contains("Operation not permitted") || m.contains("ermission")
                    ? "capturing on " + iface + " needs root (CAP_NET_RAW): libpcap: " + m
                    : "cannot open interface " + iface + ": libpcap: " + m);
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
        while (receiving()) {
            byte[] data;
            try {
                data = capture.getNextRawPacketEx();
            } catch (TimeoutException e) {
                continue;
            } catch (PcapNativeException e) {
                if (!receiving()) {
                    return;
                }
                throw new PortGoneException("interface " + iface + " is gone: libpcap: " + oneLine(e.getMessage()));
            } catch (NotOpenException | java.io.EOFException e) {
                return;
            }
            if (data.length > config().layout().frameRoom()) {
                rxErrors.increment();
                continue;
            }
            Frame f = newFrame();
            if (f == null) {
                missed(MemorySegment.ofArray(data), 0, data.length);
                continue;
            }
            f.copyFrom(data);
            Timestamp ts = capture.getTimestamp();
            f.setTimestampNanos(Math.floorDiv(ts.getTime(), 1000L) * 1_000_000_000L + ts.getNanos());
            deliver(f);
            deliverDone(); // a capture gives no hint of what else is pending: wake the worker per frame
        }
    }

    @Override
    protected void transmit(Frame frame) throws IOException {
        int len = frame.copyTo(sendBuffer, 0);
        try {
            inject.sendPacket(sendBuffer, len);
        } catch (PcapNativeException e) {
            String m = oneLine(e.getMessage());
            if (m.contains("No such device") || m.contains("disappeared")) {
                throw new PortGoneException("interface " + iface + " is gone: libpcap: " + m);
            }
            throw new IOException("sending on " + iface + ": libpcap: " + m);
        } catch (NotOpenException e) {
            throw new IOException(iface + " is closed");
        }
    }

    @Override
    protected void closeResources() {
        if (capture != null) {
            capture.close();
        }
        if (inject != null) {
            inject.close();
        }
    }

    private static String oneLine(String s) {
        return s == null ? "unknown error" : s.replaceAll("\\s+", " ").replaceFirst("^Error occurred in \\w+\\(\\): ", "").strip();
    }
}
