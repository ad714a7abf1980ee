package dev.jxdp.nic.port.pcap;

import java.io.Closeable;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes a classic pcap file with nanosecond timestamps (magic a1b23c4d, version 2.4, link type
 * Ethernet), the format of the pcap corpus and of {@code tcpdump --time-stamp-precision=nano -w}.
 *
 * <p>Written here rather than with pcap4j's {@code PcapDumper} (pcap_dump), which can write nanosecond
 * files, because the file must stay valid whenever the process stops: pcap_dump goes through stdio,
 * whose buffer reaches the file at arbitrary byte boundaries, so a stop between two flushes leaves a
 * torn record that readers reject ("truncated dump file"); and it allocates four JNA objects per
 * record. Here records are collected whole in a buffer and every write(2) carries whole records, at
 * each {@link #flush()} (the sink flushes after every transmit batch) and at {@link #close()}.
 *
 * <p>Not thread-safe: one transmitting thread writes.
 */
public final class PcapFileWriter implements Closeable {
    /** The nanosecond pcap magic. */
    public static final int MAGIC_NANOS = 0xa1b23c4d;
    /** LINKTYPE_ETHERNET. */
    public static final int LINKTYPE_ETHERNET = 1;
    /** tcpdump's default snapshot length. */
    public static final int SNAPLEN = 262_144;
    private static final int HEADER = 24;
    private static final int RECORD_HEADER = 16;

    private final Path path;
    private final FileChannel channel;
    private final ByteBuffer buffer;
    private final MemorySegment bufferMemory;
    private long records;
    private boolean closed;

    /** Creates (or truncates) {@code path} and writes the file header at once. */
    public PcapFileWriter(Path path) throws IOException {
        this(path, 256 * 1024);
    }

    PcapFileWriter(Path path, int bufferBytes) throws IOException {
        this.path = path;
        this.channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        // Host byte order, as libpcap writes; readers tell the order from the magic.
        this.buffer = ByteBuffer.allocateDirect(Math.max(bufferBytes, HEADER + RECORD_HEADER)).order(ByteOrder.nativeOrder());
        this.bufferMemory = MemorySegment.ofBuffer(buffer); // taken at position 0: the whole buffer
        buffer.putInt(MAGIC_NANOS).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(SNAPLEN).putInt(LINKTYPE_ETHERNET);
        flush();
    }

    public Path path() {
        return path;
    }

    /** Records written so far (buffered or not). */
    public long records() {
        return records;
    }

    /** Adds a record of {@code length} bytes at {@code offset} of {@code data}, stamped {@code timestampNanos} since the epoch. */
    public void write(MemorySegment data, long offset, int length, long timestampNanos) throws IOException {
        int captured = Math.min(length, SNAPLEN);
        if (buffer.remaining() < RECORD_HEADER + captured) {
            flush();
        }
        long seconds = Math.floorDiv(timestampNanos, 1_000_000_000L);
        long nanos = Math.floorMod(timestampNanos, 1_000_000_000L);
        if (buffer.remaining() >= RECORD_HEADER + captured) {
            buffer.putInt((int) seconds).putInt((int) nanos).putInt(captured).putInt(length);
            MemorySegment.copy(data, offset, bufferMemory, buffer.position(), captured);
            buffer.position(buffer.position() + captured);
        } else {
            // Larger than the whole buffer: header and data in one gathering write.
            ByteBuffer header = ByteBuffer.allocate(RECORD_HEADER).order(ByteOrder.nativeOrder());
            header.putInt((int) seconds).putInt((int) nanos).putInt(captured).putInt(length).flip();
            ByteBuffer body = data.asSlice(offset, captured).asByteBuffer();
            ByteBuffer[] parts = {header, body};
            while (header.hasRemaining() || body.hasRemaining()) {
                channel.write(parts);
            }
        }
        records++;
    }

    /** Writes every buffered record to the file (whole records only). */
    public void flush() throws IOException {
        buffer.flip();
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        buffer.clear();
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            flush();
        } finally {
            channel.close();
        }
    }
}
