package dev.jxdp.nic.port.pcap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jxdp.nic.Datapath;
import dev.jxdp.nic.PortConfig;
import dev.jxdp.nic.PortState;
import dev.jxdp.nic.testing.Cmd;
import dev.jxdp.nic.testing.Processors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A capture through the NIC model and out again: source port -> worker -> sink port. */
class PcapReplayTest {
    @TempDir
    Path tmp;

    private long replay(Path in, Path out, PcapSource.Options options) throws Exception {
        PcapSource source = new PcapSource("in", PortConfig.of(2), in, options);
        PcapSink sink = new PcapSink("out", PortConfig.of(3), out);
        try (Datapath dp = Datapath.builder().port(source).port(sink).processor(Processors.forwardTo(sink)).build()) {
            dp.start();
            assertTrue(source.awaitFinished(30, TimeUnit.SECONDS));
            return source.framesRead();
        }
    }

    @Test
    void aLosslessReplayAtTopSpeedWritesTheSameFramesAndTimestamps() throws Exception {
        Path in = Cmd.repo().resolve("pcap-corpus/fragments.pcap");
        Path out = tmp.resolve("out.pcap");
        replay(in, out, PcapSource.Options.defaults().withPacing(new Pacing.TopSpeed()).withLossless(true));
        assertEquals(Tcpdump.hex(in), Tcpdump.hex(out));
    }

    @Test
    void loopsRepeatTheFile() throws Exception {
        Path in = Cmd.repo().resolve("pcap-corpus/icmp-ping.pcap");
        Path out = tmp.resolve("out.pcap");
        long read = replay(in, out, PcapSource.Options.defaults().withPacing(new Pacing.TopSpeed()).withLoops(3).withLossless(true));
        int once = Tcpdump.read(in).size();
        assertEquals(3L * once, read);
        assertEquals(3 * once, Tcpdump.read(out).size());
        // the second and third passes come from memory (PcapSource.CACHE_LIMIT): the same bytes and capture times
        assertEquals(Tcpdump.hex(in).repeat(3), Tcpdump.hex(out));
    }

    @Test
    void theOriginalTimingIsKeptInTheOutputsTimestamps() throws Exception {
        // the corpus ping is 4 s long; 50x faster replays in about 80 ms with the captured stamps
        Path in = Cmd.repo().resolve("pcap-corpus/icmp-ping.pcap");
        Path out = tmp.resolve("out.pcap");
        replay(in, out, PcapSource.Options.defaults().withPacing(new Pacing.Original(50)).withLossless(true));
        assertEquals(Tcpdump.hex(in), Tcpdump.hex(out));
    }

    @Test
    void aCorruptRecordTakesTheSourceDownNamingItAndKeepsWhatCameBefore() throws Exception {
        Path good = Cmd.repo().resolve("pcap-corpus/tcp-http.pcap");
        var records = Tcpdump.read(good);
        long offset = 24;
        for (int i = 0; i < 6; i++) {
            offset += 16 + records.get(i).length();
        }
        Path cut = tmp.resolve("cut.pcap");
        Files.write(cut, Arrays.copyOf(Files.readAllBytes(good), (int) offset + 20));
        Path out = tmp.resolve("out.pcap");
        PcapSource source = new PcapSource("in", PortConfig.of(2), cut,
                PcapSource.Options.defaults().withPacing(new Pacing.TopSpeed()).withLossless(true));
        PcapSink sink = new PcapSink("out", PortConfig.of(3), out);
        try (Datapath dp = Datapath.builder().port(source).port(sink).processor(Processors.forwardTo(sink)).build()) {
            dp.start();
            assertTrue(source.awaitFinished(30, TimeUnit.SECONDS));
            assertEquals(PortState.DOWN, source.state());
            assertEquals(cut + ": record 7 at byte offset " + offset + ": truncated dump file; tried to read " + records.get(6).length()
                    + " captured bytes, only got 4", source.downReason());
            assertEquals(PortState.UP, sink.state(), "the other ports go on");
        }
        assertEquals(6, Tcpdump.read(out).size());
    }
}
