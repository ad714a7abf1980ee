package dev.jxdp.nic.port.pcap;

import dev.jxdp.nic.frame.Frame;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.concurrent.TimeoutException;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.Pcaps;

/**
 * Reads Ethernet frames from a pcap or pcapng file through pcap4j (libpcap's pcap_open_offline with
 * nanosecond precision, so timestamps keep every digit the file has, whatever its format or
 * if_tsresol). Bad files fail with one line naming the file, and for a bad record its number and,
 * in a classic pcap file, its byte offset (libpcap does not tell positions inside pcapng).
 *
 * <p>pcap4j hands each record over as a new byte array, which is copied into the frame: the one
 * allocation per frame on this path, on the port's reading thread, not the workers'.
 */
public final class PcapReader implements Closeable {
    private static final int PCAPNG_MAGIC = 0x0a0d0d0a;
    private static final int PCAPNG_BYTE_ORDER = 0x1a2b3c4d;
    private static final int PCAPNG_IDB = 1;
    /** DLT_EN10MB and LINKTYPE_ETHERNET alike. */
    private static final int ETHERNET = 1;

    private final Path path;
    private final PcapHandle handle;
    private final boolean pcapng;
    private long records;
    private long offset;
    private PcapFilter filter;
    private long filteredOut;

    private PcapReader(Path path, PcapHandle handle, boolean pcapng) {
        this.path = path;
        this.handle = handle;
        this.pcapng = pcapng;
        this.offset = 24;
    }

    /**
     * Opens {@code path}.
     *
     * @throws NoSuchFileException if there is no such file
     * @throws FileSystemException if it is a directory ("PATH: is a directory": the JDK's own says no path)
     * @throws PcapFileException if it is not a pcap or pcapng file, or its link type is not Ethernet
     */
    public static PcapReader open(Path path) throws IOException {
        if (Files.isDirectory(path)) {
            throw new FileSystemException(path.toString(), null, "is a directory");
        }
        if (!Files.exists(path)) {
            throw new NoSuchFileException(path.toString());
        }
        boolean pcapng;
        try (InputStream in = Files.newInputStream(path)) {
            byte[] magic = in.readNBytes(4);
            pcapng = magic.length == 4 && ((magic[0] & 0xff) << 24 | (magic[1] & 0xff) << 16 | (magic[2] & 0xff) << 8 | magic[3] & 0xff) == PCAPNG_MAGIC;
        }
        PcapHandle handle;
        try {
            handle = Pcaps.openOffline(path.toString(), PcapHandle.TimestampPrecision.NANO);
        } catch (PcapNativeException e) {
            throw new PcapFileException(path + ": not a pcap or pcapng file jxdp can read (libpcap: " + oneLine(e.getMessage()) + ")");
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            throw new IOException(path + ": reading capture files needs libpcap (Debian: apt-get install libpcap0.8): " + e.getMessage());
        }
        // libpcap hands over the DLT_ value of the file's link type: DLT_EN10MB is LINKTYPE_ETHERNET's 1,
        // but for others the numbers part (LINKTYPE_RAW 101 is DLT_RAW 12, 14 on OpenBSD). The file and
        // the tools that write it (tcpdump, Wireshark, the link-types registry) speak LINKTYPE_: the
        // message gives the number the file holds.
        int dlt = handle.getDlt().value();
        if (dlt != ETHERNET) {
            String name = linkTypeName(dlt);
            handle.close();
            int linkType = fileLinkType(path);
            throw new PcapFileException(path + ": link type " + name + " (" + (linkType >= 0 ? linkType : "DLT " + dlt)
                    + "), but jxdp ports carry Ethernet frames (LINKTYPE_ETHERNET, 1)");
        }
        return new PcapReader(path, handle, pcapng);
    }

    /**
     * The LINKTYPE_ value the file holds: a classic pcap's header field (its low 16 bits; the bits
     * above carry the FCS length), a pcapng file's first interface description block's. -1 if it
     * cannot be read (libpcap has read the header already, so only for a file changed meanwhile).
     */
    static int fileLinkType(Path path) {
        try (InputStream in = Files.newInputStream(path)) {
            byte[] head = in.readNBytes(12);
            if (head.length < 12) {
                return -1;
            }
            ByteBuffer b = ByteBuffer.wrap(head);
            if (b.getInt(0) == PCAPNG_MAGIC) {
                b.order(b.getInt(8) == PCAPNG_BYTE_ORDER ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
                in.skipNBytes(Integer.toUnsignedLong(b.getInt(4)) - 12); // the rest of the section header block
                while (true) {
                    ByteBuffer block = ByteBuffer.wrap(in.readNBytes(10)).order(b.order());
                    if (block.capacity() < 10) {
                        return -1;
                    }
                    long length = Integer.toUnsignedLong(block.getInt(4));
                    if (block.getInt(0) == PCAPNG_IDB) {
                        return block.getShort(8) & 0xffff;
                    }
                    if (length < 12) {
                        return -1;
                    }
                    in.skipNBytes(length - 10);
                }
            }
            byte[] rest = in.readNBytes(12);
            if (rest.length < 12) {
                return -1;
            }
            ByteBuffer header = ByteBuffer.allocate(24).put(head).put(rest).flip();
            int magic = header.getInt(0);
            boolean bigEndian = magic == 0xa1b2c3d4 || magic == 0xa1b23c4d || magic == 0xa1b2cd34;
            return header.order(bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN).getInt(20) & 0xffff;
        } catch (IOException e) {
            return -1;
        }
    }

    private static String linkTypeName(int linkType) {
        try {
            return Pcaps.dataLinkValToName(linkType);
        } catch (PcapNativeException e) {
            return "unknown";
        }
    }

    public Path path() {
        return path;
    }

    /** Records read so far (those a filter refused too). */
    public long records() {
        return records;
    }

    /** Lets only the records {@code f} accepts through {@link #next} and {@link #skip} (null: every record). */
    public PcapReader filter(PcapFilter f) {
        this.filter = f;
        return this;
    }

    /** Records the filter refused so far. */
    public long filteredOut() {
        return filteredOut;
    }

    /**
     * Reads the next record into {@code frame} (its bytes at the headroom, its timestamp); a record
     * longer than the frame's room is cut to it. False at the end of the file.
     *
     * @throws PcapFileException if the record is truncated or corrupt
     */
    public boolean next(Frame frame) throws PcapFileException {
        byte[] data = read();
        if (data == null) {
            return false;
        }
        int length = Math.min(data.length, frame.maxLength());
        frame.copyFrom(data, 0, length);
        frame.setTimestampNanos(lastTimestampNanos());
        return true;
    }

    /** The next record's bytes, whole, or null at the end of the file (for tools that want plain arrays). */
    public byte[] nextBytes() throws PcapFileException {
        return read();
    }

    /** Skips the next record; false at the end of the file. */
    public boolean skip() throws PcapFileException {
        return read() != null;
    }

    /** The length of the record {@link #next} last read, before any cut. */
    public int lastOriginalLength() {
        Integer len = handle.getOriginalLength();
        return len == null ? 0 : len;
    }

    /** The capture time of the record {@link #nextBytes} or {@link #next} last read, in nanoseconds since the epoch. */
    public long lastTimestampNanos() {
        Timestamp ts = handle.getTimestamp();
        return Math.floorDiv(ts.getTime(), 1000L) * 1_000_000_000L + ts.getNanos();
    }

    private byte[] read() throws PcapFileException {
        byte[] data;
        while ((data = readRecord()) != null && filter != null && !filter.matches(data, lastOriginalLength())) {
            filteredOut++;
        }
        return data;
    }

    private byte[] readRecord() throws PcapFileException {
        try {
            byte[] data = handle.getNextRawPacketEx();
            records++;
            offset += 16 + data.length;
            return data;
        } catch (EOFException e) {
            return null;
        } catch (PcapNativeException e) {
            throw new PcapFileException(path + ": record " + (records + 1) + (pcapng ? "" : " at byte offset " + offset) + ": "
                    + oneLine(e.getMessage()));
        } catch (TimeoutException | NotOpenException e) {
            throw new IllegalStateException(e); // an offline handle neither times out nor closes under us
        }
    }

    /** libpcap's message on one line, without pcap4j's "Error occurred in pcap_xxx(): " wrapper. */
    private static String oneLine(String s) {
        return s == null ? "unknown error" : s.replaceAll("\\s+", " ").replaceFirst("^Error occurred in \\w+\\(\\): ", "").strip();
    }

    @Override
    public void close() {
        handle.close();
    }
}
