#!/usr/bin/env python3
"""Writes the test frames used by kernel_smoke.sh into a directory.

Each frame is a complete Ethernet frame with correct IPv4 header and L4
checksums, as `bpftool prog run ... data_in FILE` expects. udp64.bin is the
64-byte IPv4/UDP frame every program is run on; the others reach the
interesting paths of particular programs.

usage: make_packets.py OUTDIR
"""
import os
import struct
import sys

SRC_MAC = bytes.fromhex("020000000001")
DST_MAC = bytes.fromhex("020000000002")
SRC_IP = bytes([10, 0, 0, 1])
DST_IP = bytes([10, 0, 0, 2])


def csum(data: bytes) -> int:
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def eth(ethertype: int, payload: bytes, vlans=()) -> bytes:
    """vlans: (TPID, TCI) tags, outermost first."""
    hdr = DST_MAC + SRC_MAC
    for tpid, vid in vlans:
        hdr += struct.pack("!HH", tpid, vid)
    return hdr + struct.pack("!H", ethertype) + payload


def ipv4(proto: int, l4: bytes, options: bytes = b"", tos: int = 0) -> bytes:
    ihl = 5 + len(options) // 4
    hdr = struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, tos, ihl * 4 + len(l4), 0x1234,
                      0x4000, 64, proto, 0, SRC_IP, DST_IP) + options
    hdr = hdr[:10] + struct.pack("!H", csum(hdr)) + hdr[12:]
    return hdr + l4


def pseudo4(proto: int, length: int) -> bytes:
    return SRC_IP + DST_IP + struct.pack("!BBH", 0, proto, length)


def udp(sport: int, dport: int, payload: bytes) -> bytes:
    hdr = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0)
    c = csum(pseudo4(17, len(hdr) + len(payload)) + hdr + payload) or 0xFFFF
    return hdr[:6] + struct.pack("!H", c) + payload


def tcp_syn(sport: int, dport: int, options: bytes, pseudo: bytes) -> bytes:
    doff = 5 + len(options) // 4
    hdr = struct.pack("!HHIIBBHHH", sport, dport, 1000, 0, doff << 4, 0x02,
                      64240, 0, 0) + options
    c = csum(pseudo + hdr)
    return hdr[:16] + struct.pack("!H", c) + hdr[18:]


def pad64(frame: bytes) -> bytes:
    return frame + bytes(max(0, 64 - len(frame)))


def frames() -> dict:
    f = {}
    # 14 + 20 + 8 + 22 = 64 bytes
    f["udp64"] = eth(0x0800, ipv4(17, udp(40000, 9, bytes(range(22)))))
    assert len(f["udp64"]) == 64

    echo = struct.pack("!BBHHH", 8, 0, 0, 0x4242, 1) + b"jxdp-ping-payload!"
    echo = echo[:2] + struct.pack("!H", csum(echo)) + echo[4:]
    f["icmp_echo"] = pad64(eth(0x0800, ipv4(1, echo)))

    bad = bytearray(f["udp64"])
    bad[24] ^= 0xFF	# corrupt the IPv4 header checksum
    f["udp64_bad_ipcsum"] = bytes(bad)

    f["udp_dport0"] = pad64(eth(0x0800, ipv4(17, udp(40000, 0, bytes(22)))))

    # MSS 88, behind 802.1ad + 802.1Q tags and an IPv4 NOP/EOL option word
    mss_opts = b"\x01\x01\x04\x02" + b"\x02\x04\x00\x58"	# NOP NOP SACK-perm, MSS=88
    l4 = tcp_syn(40000, 80, mss_opts, pseudo4(6, 20 + len(mss_opts)))
    f["tcp_syn_lowmss_vlan_ipopt"] = eth(0x0800, ipv4(6, l4, options=b"\x01\x01\x01\x00"),
                                         vlans=((0x88A8, 10), (0x8100, 20)))

    # IPv6 with hop-by-hop (8 bytes) and destination options (16 bytes)
    src6, dst6 = bytes.fromhex("20010db8000000000000000000000001"), bytes.fromhex("20010db8000000000000000000000002")
    tcp6 = tcp_syn(40000, 443, mss_opts,
                   src6 + dst6 + struct.pack("!IxxxB", 20 + len(mss_opts), 6))
    hbh = bytes([60, 0]) + bytes([1, 4, 0, 0, 0, 0])		# next: dstopts, PadN
    dsto = bytes([6, 1]) + bytes([1, 12]) + bytes(12)		# next: TCP, PadN
    ext = hbh + dsto
    ip6 = struct.pack("!IHBB", 0x60000000, len(ext) + len(tcp6), 0, 64) + src6 + dst6
    f["tcp_syn_lowmss_ipv6_ext"] = eth(0x86DD, ip6 + ext + tcp6)

    # DNS response from port 53 with a 600-byte payload
    f["dns_big_response"] = eth(0x0800, ipv4(17, udp(53, 40000, bytes(600))))

    # RTP (version 2, PT 0, seq 7, ts 160, SSRC 0x11223344) to port 20000
    rtp = struct.pack("!BBHII", 0x80, 0, 7, 160, 0x11223344) + bytes(160)
    f["rtp"] = eth(0x0800, ipv4(17, udp(20000, 20000, rtp)))

    # sensor report: id 7, version 1, RSSI -67 dBm, 21.50 C (LE), offset -1500 ns
    rep = struct.pack("!IBb", 7, 1, -67) + struct.pack("<h", 2150) + struct.pack("!i", -1500)
    f["sensor_report"] = pad64(eth(0x0800, ipv4(17, udp(47100, 47100, rep))))
    weak = struct.pack("!IBb", 7, 1, -101) + struct.pack("<h", 2150) + struct.pack("!i", -1500)
    f["sensor_report_weak"] = pad64(eth(0x0800, ipv4(17, udp(47100, 47100, weak))))
    return f


def main() -> None:
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for name, data in frames().items():
        with open(os.path.join(out, name + ".bin"), "wb") as fh:
            fh.write(data)


if __name__ == "__main__":
    main()
