package dev.jxdp.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jxdp.testing.Repo;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** Header fields by offset, on frames of programs/frames (layouts in programs/README.md). */
class PacketFieldsTest {
    @Test
    void ipv4Udp() throws Exception {
        byte[] f = Files.readAllBytes(Repo.root().resolve("programs/frames/udp64.bin"));
        // Ethernet 0-13, IPv4 (IHL 5) 14-33, UDP 34-41.
        assertEquals("Ethernet destination", PacketFields.at(f, 0));
        assertEquals("EtherType", PacketFields.at(f, 13));
        assertEquals("IPv4 TTL", PacketFields.at(f, 22));
        assertEquals("IPv4 header checksum", PacketFields.at(f, 25));
        assertEquals("UDP destination port", PacketFields.at(f, 36));
        assertEquals("UDP checksum", PacketFields.at(f, 40));
        assertEquals("byte 8 of the IP payload", PacketFields.at(f, 42));
    }

    @Test
    void qinqTaggedIpv4WithOptions() throws Exception {
        byte[] f = Files.readAllBytes(Repo.root().resolve("programs/frames/tcp_syn_lowmss_vlan_ipopt.bin"));
        // Ethernet addresses 0-11, 802.1ad tag 12-15 (88a8), 802.1Q tag 16-19 (8100), EtherType 20-21,
        // IPv4 from 22 with IHL 6: options 42-45, TCP from 46.
        assertEquals("VLAN TCI", PacketFields.at(f, 14));
        assertEquals("inner VLAN TPID", PacketFields.at(f, 16));
        assertEquals("EtherType", PacketFields.at(f, 20));
        assertEquals("IPv4 protocol", PacketFields.at(f, 31));
        assertEquals("IPv4 options", PacketFields.at(f, 42));
        assertEquals("TCP source port", PacketFields.at(f, 46));
    }
}
