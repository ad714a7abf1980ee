#!/usr/bin/env bash
# Recreates the captures of pcap-corpus/ from real traffic: two network namespaces joined by a veth
# pair, real tools (ping, curl against python's http.server, dig against a small DNS responder) on
# the Linux stack, and tcpdump on one end writing the frames. Needs root and: iproute2, tcpdump,
# iputils-ping, curl, dnsutils, python3, clang-19 with libbpf-dev (a tc program tags the VLAN
# capture), and editcap (tshark's package) for the pcapng copy.
#
#   sudo pcap-corpus/make-captures.sh [OUTDIR]      (default: the folder this script is in)
#
# Timestamps, IP ids, TCP ports and sequence numbers differ from run to run; what each file holds
# (which protocols, how many frames of each kind) does not.
set -euo pipefail

out="$(cd "${1:-$(dirname "$(readlink -f "$0")")}" && pwd)"
a=jxdpcap-a
b=jxdpcap-b
pids=()

cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  ip netns del "$a" 2>/dev/null || true
  ip netns del "$b" 2>/dev/null || true
}
trap cleanup EXIT

need() { command -v "$1" >/dev/null || { echo "make-captures: $1 is missing (install $2)" >&2; exit 1; }; }
need ip iproute2; need tcpdump tcpdump; need ping iputils-ping; need curl curl; need dig dnsutils
need python3 python3; need editcap tshark; need tc iproute2; need clang-19 clang-19
[[ $(id -u) -eq 0 ]] || { echo "make-captures: needs root (network namespaces, tcpdump)" >&2; exit 1; }

in_a() { ip netns exec "$a" "$@"; }
in_b() { ip netns exec "$b" "$@"; }

# Two hosts on one wire: a (10.99.0.1, fd00:99::1) and b (10.99.0.2, fd00:99::2), fixed MACs so
# that captures read the same every time. IPv6 stays off except where a capture is about it, so
# that router solicitations and MLD reports do not wander into the IPv4 captures.
setup() {
  cleanup
  ip netns add "$a"
  ip netns add "$b"
  ip link add veth-a netns "$a" address 02:00:00:99:00:01 type veth peer name veth-b netns "$b" address 02:00:00:99:00:02
  for ns in "$a" "$b"; do
    ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
    ip netns exec "$ns" ip link set lo up
  done
  in_a ip addr add 10.99.0.1/24 dev veth-a
  in_b ip addr add 10.99.0.2/24 dev veth-b
  in_a ip link set veth-a up
  in_b ip link set veth-b up
}

enable_ipv6() {
  for ns in "$a" "$b"; do
    ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=0 net.ipv6.conf.veth-a.disable_ipv6=0 2>/dev/null || true
    ip netns exec "$ns" sysctl -qw net.ipv6.conf.veth-b.disable_ipv6=0 2>/dev/null || true
  done
  in_a ip -6 addr add fd00:99::1/64 dev veth-a nodad
  in_b ip -6 addr add fd00:99::2/64 dev veth-b nodad
}

# capture NAME COMMAND...: runs COMMAND while tcpdump (nanosecond timestamps) records veth-b in b.
capture() {
  local name="$1"; shift
  local file="$out/$name.pcap"
  # Started without a function or subshell in between, so that $! is tcpdump itself (ip netns exec
  # execs it) and the SIGINT below reaches it; -Z root keeps it from dropping privileges before it
  # opens the file.
  ip netns exec "$b" tcpdump -q -n -s 0 -U -Z root --time-stamp-precision=nano -i veth-b -w "$file" 2>/dev/null &
  local dump=$!
  sleep 1
  "$@"
  sleep 1
  kill -INT "$dump"
  wait "$dump" || true
  echo "make-captures: $name.pcap: $(tcpdump -n -r "$file" 2>/dev/null | wc -l) frames"
}

traffic_ping() { in_a ping -q -c 5 -i 0.2 10.99.0.2 >/dev/null; }

traffic_http() {
  mkdir -p /tmp/jxdpcap-www
  head -c 20000 /dev/zero | tr '\0' 'x' >/tmp/jxdpcap-www/data.txt
  ip netns exec "$b" python3 -m http.server 8080 --bind 10.99.0.2 --directory /tmp/jxdpcap-www >/dev/null 2>&1 &
  pids+=($!)
  sleep 1
  in_a curl -s -o /dev/null http://10.99.0.2:8080/data.txt
}

# A DNS responder small enough to read: answers every A query with 10.99.0.2, TTL 60.
dns_server() {
  ip netns exec "$b" python3 - <<'PY' &
import socket, struct
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("10.99.0.2", 53))
while True:
    q, peer = s.recvfrom(512)
    qid, flags, qd = struct.unpack("!HHH", q[:6])
    end = 12
    while q[end] != 0:
        end += q[end] + 1
    question = q[12:end + 5]
    answer = b"\xc0\x0c" + struct.pack("!HHIH", 1, 1, 60, 4) + socket.inet_aton("10.99.0.2")
    s.sendto(struct.pack("!HHHHHH", qid, 0x8180, 1, 1, 0, 0) + question + answer, peer)
PY
  pids+=($!)
  sleep 1
}

traffic_dns() {
  in_a dig +short +tries=1 +time=2 @10.99.0.2 www.example.test A >/dev/null
  in_a dig +short +tries=1 +time=2 @10.99.0.2 mail.example.test A >/dev/null
}

traffic_ipv6() { in_a ping -6 -q -c 3 -i 0.2 fd00:99::2 >/dev/null; }

# VLAN 100 between a and b. Kernels built without 802.1Q devices (CONFIG_VLAN_8021Q) or tc's vlan
# action still have the BPF helpers, so a two-line tc program tags frames on egress and untags them
# on ingress at both ends; tcpdump, which sees ingress before tc and egress after it, records the
# frames tagged in both directions.
vlan_tagger() {
  local dir=/tmp/jxdpcap-vlan
  mkdir -p "$dir"
  cat >"$dir/vlan.c" <<'C'
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
SEC("tc") int tag(struct __sk_buff *skb) { bpf_skb_vlan_push(skb, bpf_htons(0x8100), 100); return TC_ACT_OK; }
SEC("tc") int untag(struct __sk_buff *skb) { bpf_skb_vlan_pop(skb); return TC_ACT_OK; }
char _license[] SEC("license") = "GPL";
C
  clang-19 -O2 -g -target bpf -I"/usr/include/$(gcc -print-multiarch)" -c "$dir/vlan.c" -o "$dir/vlan.o"
  for side in "a veth-a" "b veth-b"; do
    set -- $side
    local ns="jxdpcap-$1" dev="$2"
    ip netns exec "$ns" tc qdisc add dev "$dev" clsact
    ip netns exec "$ns" tc filter add dev "$dev" egress bpf da obj "$dir/vlan.o" sec tc program tag
    ip netns exec "$ns" tc filter add dev "$dev" ingress bpf da obj "$dir/vlan.o" sec tc program untag
  done
}

traffic_vlan() { in_a ping -q -c 3 -i 0.2 10.99.0.2 >/dev/null; }

traffic_fragments() {
  in_a ping -q -c 2 -i 0.2 -s 4000 10.99.0.2 >/dev/null
  in_a ping -6 -q -c 2 -i 0.2 -s 4000 fd00:99::2 >/dev/null
}

setup; capture icmp-ping traffic_ping
setup; capture tcp-http traffic_http
setup; dns_server; capture udp-dns traffic_dns
setup; enable_ipv6; capture ipv6-nd-ping traffic_ipv6
setup; vlan_tagger; capture vlan-ping traffic_vlan
setup; enable_ipv6; capture fragments traffic_fragments

# The same HTTP capture as pcapng, for readers that must handle both formats.
editcap -F pcapng "$out/tcp-http.pcap" "$out/tcp-http.pcapng"
echo "make-captures: tcp-http.pcapng: pcapng copy of tcp-http.pcap"
