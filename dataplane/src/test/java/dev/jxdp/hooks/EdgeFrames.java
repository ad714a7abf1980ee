package dev.jxdp.hooks;

import java.util.Map;

/**
 * The edge-case frames of {@link ProgRunCorpusKernelTest} (IPv4/IPv6, TCP/UDP/ICMP, 802.1Q and QinQ,
 * runts of 13 and 14 bytes, 1500 and 9000 bytes, and programs/frames: IPv6 extension headers, IP
 * options, bad checksums), for tests of other packages and modules (the kernel diff runner's).
 */
public final class EdgeFrames {
    private EdgeFrames() {}

    /** By name, in a fixed order. */
    public static Map<String, byte[]> all() throws Exception {
        return ProgRunCorpusKernelTest.frames();
    }
}
