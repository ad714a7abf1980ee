package dev.jxdp.nic.port.pcap;

import dev.jxdp.nic.HostPort;
import dev.jxdp.nic.Port;
import dev.jxdp.nic.PortConfig;
import dev.jxdp.nic.frame.Frame;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A port whose wire is a capture file: every frame it transmits becomes a record of a nanosecond
 * pcap file ({@link PcapFileWriter}), stamped with the frame's timestamp (a replayed frame keeps its
 * capture time; a frame with none gets the time it was written). The file is valid at any stop:
 * records are flushed whole after every transmit batch and when the port closes. A file has no wire
 * to lose frames on, so by default a worker that finds the sink's ring full waits for room. As a
 * {@link HostPort} it records what the local stack would have received. It receives nothing.
 */
public final class PcapSink extends Port implements HostPort {
    private final Path file;
    private final boolean lossless;
    private PcapFileWriter writer;

    /** A sink that makes workers wait for room rather than drop: every frame sent to it is in the file. */
    public PcapSink(String name, PortConfig config, Path file) {
        this(name, config, file, true);
    }

    /** With {@code lossless} false, a full transmit ring drops and counts tx_dropped, as a NIC does. */
    public PcapSink(String name, PortConfig config, Path file, boolean lossless) {
        super(name, config);
        this.file = file;
        this.lossless = lossless;
    }

    @Override
    protected boolean waitsForRoom() {
        return lossless;
    }

    @Override
    public String describe() {
        return "pcap sink " + file;
    }

    public Path file() {
        return file;
    }

    @Override
    protected void open() throws IOException {
        writer = new PcapFileWriter(file);
    }

    @Override
    protected boolean hasReceiver() {
        return false;
    }

    @Override
    protected boolean hasTransmitter() {
        return true;
    }

    @Override
    protected void transmit(Frame frame) throws IOException {
        long ts = frame.timestampNanos();
        if (ts == 0) {
            java.time.Instant now = java.time.Instant.now();
            ts = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        }
        writer.write(frame.buffer(), frame.offset(), frame.length(), ts);
    }

    @Override
    protected void flushTransmit() throws IOException {
        writer.flush();
    }

    @Override
    protected void closeResources() {
        if (writer != null) {
            try {
                writer.close();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(file + ": " + e.getMessage(), e);
            }
        }
    }
}
