package dev.jxdp.diff;

/**
 * Names the header field a byte of a frame belongs to, for the report of a data_out difference:
 * Ethernet, up to two VLAN tags, IPv4 (with options) or IPv6 (fixed header), and the first bytes of
 * TCP, UDP and ICMP. Field offsets are those of RFC 791, 8200, 793, 768 and 792 and IEEE 802.1Q.
 */
final class PacketFields {
    private PacketFields() {}

    private static final String[] IPV4 = {"version/IHL", "DSCP/ECN", "total length", "total length", "identification",
        "identification", "flags/fragment offset", "flags/fragment offset", "TTL", "protocol", "header checksum", "header checksum",
        "source address", "source address", "source address", "source address", "destination address", "destination address",
        "destination address", "destination address"};
    private static final String[] TCP = {"source port", "source port", "destination port", "destination port", "sequence number",
        "sequence number", "sequence number", "sequence number", "acknowledgment number", "acknowledgment number",
        "acknowledgment number", "acknowledgment number", "data offset", "flags", "window", "window", "checksum", "checksum",
        "urgent pointer", "urgent pointer"};
    private static final String[] UDP = {"source port", "source port", "destination port", "destination port", "length", "length",
        "checksum", "checksum"};
    private static final String[] ICMP = {"type", "code", "checksum", "checksum"};

    /** {@code IPv4 header checksum}, or {@code byte 70 of the frame} past what it knows. */
    static String at(byte[] frame, int offset) {
        if (offset < 12) {
            return "Ethernet " + (offset < 6 ? "destination" : "source");
        }
        int at = 12;
        int type = u16(frame, at);
        for (int tags = 0; tags < 2 && (type == 0x8100 || type == 0x88a8) && frame.length >= at + 4; tags++) {
            if (offset < at + 4) {
                return (tags == 0 ? "" : "inner ") + "VLAN " + (offset < at + 2 ? "TPID" : "TCI");
            }
            at += 4;
            type = u16(frame, at);
        }
        if (offset < at + 2) {
            return "EtherType";
        }
        at += 2;
        int protocol;
        if (type == 0x0800 && frame.length > at) {
            int ihl = (frame[at] & 0x0f) * 4;
            if (offset < at + 20) {
                return "IPv4 " + IPV4[offset - at];
            }
            if (offset < at + ihl) {
                return "IPv4 options";
            }
            protocol = frame.length > at + 9 ? frame[at + 9] & 0xff : -1;
            at += ihl;
        } else if (type == 0x86dd && frame.length >= at + 40) {
            int o = offset - at;
            if (o < 40) {
                return "IPv6 " + (o < 4 ? "version/traffic class/flow label" : o < 6 ? "payload length" : o == 6 ? "next header"
                        : o == 7 ? "hop limit" : o < 24 ? "source address" : "destination address");
            }
            protocol = frame[at + 6] & 0xff;
            at += 40;
        } else {
            return "byte " + offset + " of the frame";
        }
        String[] fields = protocol == 6 ? TCP : protocol == 17 ? UDP : protocol == 1 || protocol == 58 ? ICMP : null;
        if (fields != null && offset - at < fields.length) {
            return (protocol == 6 ? "TCP " : protocol == 17 ? "UDP " : "ICMP ") + fields[offset - at];
        }
        return "byte " + (offset - at) + " of the IP payload";
    }

    private static int u16(byte[] b, int at) {
        return at + 1 < b.length ? (b[at] & 0xff) << 8 | (b[at + 1] & 0xff) : -1;
    }
}
