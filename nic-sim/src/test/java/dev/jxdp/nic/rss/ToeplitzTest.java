package dev.jxdp.nic.rss;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Microsoft's "Verifying the RSS Hash Calculation" table: the default key, and for each packet the
 * hash over the addresses alone and over addresses and TCP ports (source first, as the input is built).
 */
class ToeplitzTest {
    private static final Toeplitz TOEPLITZ = new Toeplitz(Toeplitz.DEFAULT_KEY);

    @ParameterizedTest(name = "{0}:{1} -> {2}:{3}")
    @CsvSource({
        // source, source port, destination, destination port, IPv4 only, with TCP
        "66.9.149.187,    2794,  161.142.100.80, 1766,  323e8fc2, 51ccc178",
        "199.92.111.2,    14230, 65.69.140.83,   4739,  d718262a, c626b0ea",
        "24.19.198.95,    12898, 12.22.207.184,  38024, d2d0a5de, 5c2b394a",
        "38.27.205.30,    48228, 209.142.163.6,  2217,  82989176, afc7327f",
        "153.39.163.191,  44251, 202.188.127.2,  1303,  5d1809c5, 10e828a2",
        // IPv6
        "3ffe:2501:200:1fff::7,               2794,  3ffe:2501:200:3::1,       1766,  2cc18cd5, 40207d3d",
        "3ffe:501:8::260:97ff:fe40:efab,      14230, ff02::1,                  4739,  0f0c461c, dde51bbf",
        "3ffe:1900:4545:3:200:f8ff:fe21:67cf, 44251, fe80::200:f8ff:fe21:67cf, 38024, 4b61e985, 02d1feef",
    })
    void microsoftVerificationSuite(String src, int srcPort, String dst, int dstPort, String addressHash, String tcpHash) throws Exception {
        byte[] s = InetAddress.getByName(src).getAddress();
        byte[] d = InetAddress.getByName(dst).getAddress();
        byte[] addresses = ByteBuffer.allocate(2 * s.length).put(s).put(d).array();
        byte[] withPorts = ByteBuffer.allocate(2 * s.length + 4).put(s).put(d).putShort((short) srcPort).putShort((short) dstPort).array();
        assertEquals(Integer.parseUnsignedInt(addressHash, 16), TOEPLITZ.hash(addresses));
        assertEquals(Integer.parseUnsignedInt(tcpHash, 16), TOEPLITZ.hash(withPorts));
    }
}
