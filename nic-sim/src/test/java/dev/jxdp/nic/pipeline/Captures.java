package dev.jxdp.nic.pipeline;

import java.io.EOFException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.Pcaps;

/** The frames of a capture file, read by libpcap (through pcap4j): what tests compare outputs with. */
public final class Captures {
    private Captures() {}

    /** Every frame of {@code file}, in order; an absent file is an empty list. */
    public static List<byte[]> frames(Path file) throws Exception {
        List<byte[]> frames = new ArrayList<>();
        if (!file.toFile().exists()) {
            return frames;
        }
        PcapHandle h = Pcaps.openOffline(file.toString(), PcapHandle.TimestampPrecision.NANO);
        try {
            while (true) {
                try {
                    frames.add(h.getNextRawPacketEx());
                } catch (EOFException e) {
                    return frames;
                }
            }
        } finally {
            h.close();
        }
    }
}
