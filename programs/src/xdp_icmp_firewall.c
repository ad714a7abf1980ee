// SPDX-License-Identifier: GPL-2.0
/*
 * xdp_icmp_firewall: drops ICMP (IPv4 protocol 1) and ICMPv6 (IPv6 next
 * header 58, right after the fixed header) and lets everything else go on.
 * Meant to run first in a chain of XDP programs on a port (libxdp's
 * dispatcher: XDP_PASS hands the frame to the next program), in front of a
 * switch or router program; the drops are counted per protocol so that a
 * user can watch the firewall work.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/in.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

enum { DROPPED_ICMP = 0, DROPPED_ICMPV6 = 1, PASSED = 2, COUNTERS };

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, COUNTERS);
	__type(key, __u32);
	__type(value, __u64);
} icmp_fw_stats SEC(".maps");

static __always_inline int count(__u32 which, int verdict)
{
	__u64 *n = bpf_map_lookup_elem(&icmp_fw_stats, &which);

	if (n)
		__sync_fetch_and_add(n, 1);
	return verdict;
}

SEC("xdp")
int xdp_icmp_firewall(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;

	if ((void *)(eth + 1) > data_end)
		return count(PASSED, XDP_PASS);
	if (eth->h_proto == bpf_htons(ETH_P_IP)) {
		struct iphdr *iph = (void *)(eth + 1);

		if ((void *)(iph + 1) <= data_end && iph->protocol == IPPROTO_ICMP)
			return count(DROPPED_ICMP, XDP_DROP);
	} else if (eth->h_proto == bpf_htons(ETH_P_IPV6)) {
		struct ipv6hdr *ip6h = (void *)(eth + 1);

		if ((void *)(ip6h + 1) <= data_end && ip6h->nexthdr == IPPROTO_ICMPV6)
			return count(DROPPED_ICMPV6, XDP_DROP);
	}
	return count(PASSED, XDP_PASS);
}

char _license[] SEC("license") = "GPL";
