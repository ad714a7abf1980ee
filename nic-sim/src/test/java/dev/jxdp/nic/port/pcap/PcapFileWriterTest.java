package dev.jxdp.nic.port.pcap;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jxdp.nic.frame.Frame;
import dev.jxdp.nic.frame.FrameLayout;
import dev.jxdp.nic.frame.FramePool;
import dev.jxdp.nic.testing.Cmd;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** jxdp's pcap output as tcpdump and tshark read it. */
class PcapFileWriterTest {
    @TempDir
    Path tmp;

    /** Copies every record of {@code in} to {@code out} through the writer (a buffer far smaller than the file). */
    private static void copy(Path in, Path out, int bufferBytes) throws IOException {
        try (FramePool pool = new FramePool("copy", FrameLayout.DEFAULT, 1);
                PcapReader reader = PcapReader.open(in);
                PcapFileWriter writer = new PcapFileWriter(out, bufferBytes)) {
            Frame f = pool.allocate();
            try {
                while (reader.next(f)) {
                    writer.write(f.buffer(), f.offset(), f.length(), f.timestampNanos());
                }
            } finally {
                f.release();
            }
        }
    }

    @Test
    void tcpdumpReadsEveryByteAndNanosecondOfTheCopy() throws IOException {
        Path in = Cmd.repo().resolve("pcap-corpus/tcp-http.pcap");
        Path out = tmp.resolve("out.pcap");
        copy(in, out, 4096); // records larger than the buffer take the direct path
        assertEquals(Tcpdump.hex(in), Tcpdump.hex(out));
    }

    @Test
    void aPcapngInputBecomesTheSameClassicNanosecondFile() throws IOException {
        Path out = tmp.resolve("from-ng.pcap");
        copy(Cmd.repo().resolve("pcap-corpus/tcp-http.pcapng"), out, 64 * 1024);
        assertEquals(Tcpdump.hex(Cmd.repo().resolve("pcap-corpus/tcp-http.pcap")), Tcpdump.hex(out));
        // the magic says nanoseconds, as the corpus files' do
        byte[] head = Files.readAllBytes(out);
        assertEquals(0xa1b23c4d, (head[3] & 0xff) << 24 | (head[2] & 0xff) << 16 | (head[1] & 0xff) << 8 | head[0] & 0xff);
    }

    @Test
    void tsharkFindsNothingWrongInIt() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(Cmd.available("tshark"), "tshark is not installed");
        Path out = tmp.resolve("dns.pcap");
        copy(Cmd.repo().resolve("pcap-corpus/udp-dns.pcap"), out, 64 * 1024);
        Cmd.Result r = Cmd.run("tshark", "-r", out.toString(), "-T", "fields", "-e", "frame.time_epoch", "-e", "frame.len").orFail();
        Cmd.Result expected = Cmd.run("tshark", "-r", Cmd.repo().resolve("pcap-corpus/udp-dns.pcap").toString(), "-T", "fields", "-e",
                "frame.time_epoch", "-e", "frame.len").orFail();
        assertEquals(expected.out(), r.out());
        // tshark's only word on stderr is its warning about running as root
        assertEquals("", r.err().replaceAll("Running as user \"root\".*\n?", "").strip());
    }
}
