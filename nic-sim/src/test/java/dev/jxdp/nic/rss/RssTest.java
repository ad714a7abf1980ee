package dev.jxdp.nic.rss;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jxdp.nic.testing.Frames;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/**
 * The frame-level side of RSS: which fields a frame's hash covers. Expected hashes are those of
 * Microsoft's verification table (first row: 66.9.149.187:2794 -> 161.142.100.80:1766, and the
 * first IPv6 row), so a frame hashes exactly as the specification's input.
 */
class RssTest {
    private static final int V4_ADDRESSES = 0x323e8fc2;
    private static final int V4_WITH_PORTS = 0x51ccc178;
    private static final int V6_ADDRESSES = 0x2cc18cd5;
    private static final int V6_WITH_PORTS = 0x40207d3d;
    private final Rss rss = new Rss(4);

    private int hash(byte[] frame) {
        return rss.hash(MemorySegment.ofArray(frame), 0, frame.length);
    }

    @Test
    void tcpAndUdpOverIpv4HashAddressesAndPorts() {
        assertEquals(V4_WITH_PORTS, hash(Frames.ipv4("66.9.149.187", "161.142.100.80", Frames.TCP, 2794, 1766, 0)));
        assertEquals(V4_WITH_PORTS, hash(Frames.ipv4("66.9.149.187", "161.142.100.80", Frames.UDP, 2794, 1766, 0)));
    }

    @Test
    void otherProtocolsAndFragmentsHashAddressesOnly() {
        assertEquals(V4_ADDRESSES, hash(Frames.ipv4("66.9.149.187", "161.142.100.80", Frames.ICMP, 2794, 1766, 0)));
        // first fragment (MF set): ports are there, but later fragments have none, so none count
        assertEquals(V4_ADDRESSES, hash(Frames.ipv4("66.9.149.187", "161.142.100.80", Frames.TCP, 2794, 1766, 0x2000)));
        assertEquals(V4_ADDRESSES, hash(Frames.ipv4("66.9.149.187", "161.142.100.80", Frames.UDP, 2794, 1766, 185)));
        // DF alone is no fragment
        assertEquals(V4_WITH_PORTS, hash(Frames.ipv4("66.9.149.187", "161.142.100.80", Frames.TCP, 2794, 1766, 0x4000)));
    }

    @Test
    void vlanTagsAreSkipped() {
        assertEquals(V4_WITH_PORTS, hash(Frames.ipv4("66.9.149.187", "161.142.100.80", Frames.TCP, 2794, 1766, 0, 100)));
        assertEquals(V4_WITH_PORTS, hash(Frames.ipv4("66.9.149.187", "161.142.100.80", Frames.TCP, 2794, 1766, 0, 100, 200)));
    }

    @Test
    void ipv6HashesAddressesAndPortsPastExtensionHeaders() {
        String src = "3ffe:2501:200:1fff::7";
        String dst = "3ffe:2501:200:3::1";
        assertEquals(V6_WITH_PORTS, hash(Frames.ipv6(src, dst, Frames.TCP, new byte[0], 2794, 1766)));
        // hop-by-hop options (8 bytes: next header TCP, length 0, PadN) then TCP
        byte[] hopByHop = {6, 0, 1, 4, 0, 0, 0, 0};
        assertEquals(V6_WITH_PORTS, hash(Frames.ipv6(src, dst, 0, hopByHop, 2794, 1766)));
        // a fragment header: addresses only
        byte[] fragment = {6, 0, 0, 1, 0, 0, 0, 42};
        assertEquals(V6_ADDRESSES, hash(Frames.ipv6(src, dst, 44, fragment, 2794, 1766)));
        // ICMPv6: addresses only
        assertEquals(V6_ADDRESSES, hash(Frames.ipv6(src, dst, 58, new byte[0], 2794, 1766)));
    }

    @Test
    void framesWithoutIpHaveNoHashAndGoToTheFirstQueue() {
        assertEquals(0, hash(Frames.arp()));
        assertEquals(0, rss.queue(0));
        byte[] truncated = java.util.Arrays.copyOf(Frames.ipv4("66.9.149.187", "161.142.100.80", Frames.TCP, 2794, 1766, 0), 30);
        assertEquals(0, hash(truncated));
    }

    @Test
    void theIndirectionTableIsLinuxsDefault() {
        // ethtool_rxfh_indir_default: entry i = i % queues, indexed by the hash's low 7 bits
        assertEquals(V4_WITH_PORTS % 128 % 4, rss.queue(V4_WITH_PORTS));
        Rss three = new Rss(3);
        for (int h = 0; h < 1024; h++) {
            assertEquals((h & 127) % 3, three.queue(h));
        }
    }
}
