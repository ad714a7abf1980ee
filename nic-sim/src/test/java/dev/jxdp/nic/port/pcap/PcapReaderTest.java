package dev.jxdp.nic.port.pcap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jxdp.nic.frame.Frame;
import dev.jxdp.nic.frame.FrameLayout;
import dev.jxdp.nic.frame.FramePool;
import dev.jxdp.nic.testing.Cmd;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Reading the real captures of pcap-corpus/, checked against what tcpdump reads in them. */
class PcapReaderTest {
    private final FramePool pool = new FramePool("reader", FrameLayout.DEFAULT, 1);

    @TempDir
    Path tmp;

    @AfterEach
    void closePool() {
        pool.close();
    }

    record Read(long timestampNanos, byte[] bytes) {}

    private List<Read> readAll(Path file) throws IOException {
        List<Read> out = new ArrayList<>();
        try (PcapReader reader = PcapReader.open(file)) {
            Frame f = pool.allocate();
            try {
                while (reader.next(f)) {
                    out.add(new Read(f.timestampNanos(), f.toByteArray()));
                }
            } finally {
                f.release();
            }
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"icmp-ping.pcap", "tcp-http.pcap", "tcp-http.pcapng", "udp-dns.pcap", "ipv6-nd-ping.pcap", "vlan-ping.pcap",
        "fragments.pcap"})
    void everyRecordWithItsNanosecondTimestampAsTcpdumpReadsIt(String name) throws IOException {
        Path file = Cmd.repo().resolve("pcap-corpus").resolve(name);
        List<Tcpdump> expected = Tcpdump.read(file);
        List<Read> read = readAll(file);
        assertEquals(expected.size(), read.size());
        for (int i = 0; i < read.size(); i++) {
            assertEquals(expected.get(i).timestampNanos(), read.get(i).timestampNanos(), "timestamp of record " + (i + 1));
            assertEquals(expected.get(i).length(), read.get(i).bytes().length, "length of record " + (i + 1));
        }
    }

    @Test
    void pcapngGivesTheSameFramesAsThePcapItWasConvertedFrom() throws IOException {
        Path corpus = Cmd.repo().resolve("pcap-corpus");
        List<Read> pcap = readAll(corpus.resolve("tcp-http.pcap"));
        List<Read> pcapng = readAll(corpus.resolve("tcp-http.pcapng"));
        assertEquals(pcap.size(), pcapng.size());
        for (int i = 0; i < pcap.size(); i++) {
            assertEquals(pcap.get(i).timestampNanos(), pcapng.get(i).timestampNanos());
            assertTrue(Arrays.equals(pcap.get(i).bytes(), pcapng.get(i).bytes()), "record " + (i + 1));
        }
    }

    @Test
    void aTruncatedFileNamesTheFileTheRecordAndItsOffset() throws IOException {
        Path source = Cmd.repo().resolve("pcap-corpus/tcp-http.pcap");
        List<Tcpdump> records = Tcpdump.read(source);
        // cut in the middle of record 5: its offset is the file header and records 1-4 with their headers
        long offset = 24;
        for (int i = 0; i < 4; i++) {
            offset += 16 + records.get(i).length();
        }
        Path cut = tmp.resolve("cut.pcap");
        Files.write(cut, Arrays.copyOf(Files.readAllBytes(source), (int) offset + 16 + 10));
        PcapFileException e = assertThrows(PcapFileException.class, () -> readAll(cut));
        assertEquals(cut + ": record 5 at byte offset " + offset + ": truncated dump file; tried to read "
                + records.get(4).length() + " captured bytes, only got 10", e.getMessage());
    }

    @Test
    void aCorruptRecordLengthIsNamedToo() throws IOException {
        Path source = Cmd.repo().resolve("pcap-corpus/icmp-ping.pcap");
        byte[] bytes = Files.readAllBytes(source);
        int first = Tcpdump.read(source).getFirst().length();
        int second = 24 + 16 + first;
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(second + 8, 0x7fff0000); // record 2's captured length
        Path bad = tmp.resolve("bad.pcap");
        Files.write(bad, bytes);
        PcapFileException e = assertThrows(PcapFileException.class, () -> readAll(bad));
        assertTrue(e.getMessage().startsWith(bad + ": record 2 at byte offset " + second + ": "), e.getMessage());
        assertTrue(e.getMessage().contains("2147418112"), e.getMessage()); // libpcap names the length it refused
        assertEquals(-1, e.getMessage().indexOf('\n'));
    }

    @Test
    void aLinkTypeOtherThanEthernetIsRefusedByName() throws IOException {
        // a classic pcap header (nanosecond magic, version 2.4, snaplen 65535) with LINKTYPE_LINUX_SLL (113)
        ByteBuffer header = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        header.putInt(0xa1b23c4d).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(113);
        Path sll = tmp.resolve("sll.pcap");
        Files.write(sll, header.array());
        PcapFileException e = assertThrows(PcapFileException.class, () -> PcapReader.open(sll));
        assertEquals(sll + ": link type LINUX_SLL (113), but jxdp ports carry Ethernet frames (LINKTYPE_ETHERNET, 1)", e.getMessage());
    }

    /**
     * The number is the LINKTYPE_ value the file holds, as tcpdump and the link-types registry give it,
     * not the DLT_ value libpcap maps it to (LINKTYPE_RAW 101 is DLT_RAW 12): in classic pcap of
     * either byte order and in pcapng.
     */
    @Test
    void theLinkTypeIsTheNumberTheFileHolds() throws IOException {
        String expected = ": link type RAW (101), but jxdp ports carry Ethernet frames (LINKTYPE_ETHERNET, 1)";
        for (ByteOrder order : List.of(ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN)) {
            ByteBuffer header = ByteBuffer.allocate(24).order(order);
            header.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(101);
            Path raw = tmp.resolve("raw-" + order + ".pcap");
            Files.write(raw, header.array());
            assertEquals(raw + expected, assertThrows(PcapFileException.class, () -> PcapReader.open(raw)).getMessage());
        }
        // pcapng: a section header block (28 bytes, no options), then an interface description block of LINKTYPE_RAW
        ByteBuffer ng = ByteBuffer.allocate(28 + 20).order(ByteOrder.LITTLE_ENDIAN);
        ng.putInt(0x0a0d0d0a).putInt(28).putInt(0x1a2b3c4d).putShort((short) 1).putShort((short) 0).putLong(-1).putInt(28);
        ng.putInt(1).putInt(20).putShort((short) 101).putShort((short) 0).putInt(65535).putInt(20);
        Path rawNg = tmp.resolve("raw.pcapng");
        Files.write(rawNg, ng.array());
        assertEquals(rawNg + expected, assertThrows(PcapFileException.class, () -> PcapReader.open(rawNg)).getMessage());
    }

    @Test
    void somethingElseIsNotACapture() throws IOException {
        Path text = tmp.resolve("notes.pcap");
        Files.writeString(text, "this is not a capture, just some text that is long enough\n");
        PcapFileException e = assertThrows(PcapFileException.class, () -> PcapReader.open(text));
        assertTrue(e.getMessage().startsWith(text + ": not a pcap or pcapng file jxdp can read (libpcap: "), e.getMessage());
        assertThrows(NoSuchFileException.class, () -> PcapReader.open(tmp.resolve("absent.pcap")));
        FileSystemException dir = assertThrows(FileSystemException.class, () -> PcapReader.open(tmp));
        assertEquals(tmp + ": is a directory", dir.getMessage());
    }
}
