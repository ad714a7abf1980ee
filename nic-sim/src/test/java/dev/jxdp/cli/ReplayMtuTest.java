package dev.jxdp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jxdp.nic.pipeline.Captures;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jxdp replay --mtu}: an XDP redirect takes a frame of at most the target port's MTU plus 18
 * bytes, as the kernel's xdp_ok_fwd_dev does (XdpRedirectMtuKernelTest measures it on kernel taps);
 * the rest are dropped. programs/bin/xdp_redirect_port.o sends every frame to port 3.
 */
class ReplayMtuTest {
    private static final int[] SIZES = {1514, 1518, 1519, 1600};

    @TempDir
    Path tmp;

    @Test
    void aRedirectTakesFramesUpToTheTargetsMtuPlusEighteenBytes() throws Exception {
        Path capture = capture(tmp.resolve("sizes.pcap"));
        Cli r = Cli.run("replay", capture.toString(), "--xdp", Cli.object("xdp_redirect_port"), "--port", "3", "--out-dir", tmp.resolve("1500").toString());
        assertEquals(0, r.status(), r.err());
        assertEquals(List.of(1514, 1518), lengths(tmp.resolve("1500/redirect-3.pcap")));
        assertEquals(List.of(1519, 1600), lengths(tmp.resolve("1500/drop.pcap")));

        r = Cli.run("replay", capture.toString(), "--xdp", Cli.object("xdp_redirect_port"), "--port", "3", "--mtu", "1582", "--out-dir",
                tmp.resolve("1582").toString());
        assertEquals(0, r.status(), r.err());
        assertEquals(List.of(1514, 1518, 1519, 1600), lengths(tmp.resolve("1582/redirect-3.pcap")));
    }

    @Test
    void anMtuTheBuffersCannotHoldIsRefused() throws Exception {
        Path capture = capture(tmp.resolve("sizes.pcap"));
        Cli r = Cli.run("replay", capture.toString(), "--xdp", Cli.object("xdp_redirect_port"), "--mtu", "9500");
        assertEquals(1, r.status(), r.out() + r.err());
        assertEquals("Error: --mtu 9500: MTU 9500 does not fit buffers with room for 9018-byte frames (at most 9000)", r.err().strip());
        r = Cli.run("replay", capture.toString(), "--xdp", Cli.object("xdp_redirect_port"), "--mtu", "60");
        assertEquals(1, r.status(), r.out() + r.err());
        assertEquals("Error: --mtu 60: at least 68 (IPv4's least)", r.err().strip());
    }

    /** A pcap (microsecond timestamps, Ethernet) of one frame of each of {@link #SIZES}: an Ethernet header and zeros. */
    private static Path capture(Path file) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(24 + SIZES.length * 16 + java.util.Arrays.stream(SIZES).sum()).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(1);
        int t = 0;
        for (int size : SIZES) {
            b.putInt(1_700_000_000).putInt(t++).putInt(size).putInt(size);
            byte[] frame = new byte[size];
            System.arraycopy(new byte[] {2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 8, 0}, 0, frame, 0, 14);
            b.put(frame);
        }
        return Files.write(file, b.array());
    }

    private static List<Integer> lengths(Path pcap) throws Exception {
        return Captures.frames(pcap).stream().map(f -> f.length).toList();
    }
}
