// SPDX-License-Identifier: GPL-2.0
/*
 * xdp_proto_counter: counts packets and bytes per IP protocol number
 * (IPv4 protocol / IPv6 next header) in a per-CPU array, then passes the
 * packet. Per-CPU slots need no atomics; userspace sums the CPUs.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

struct proto_stats {
	__u64 packets;
	__u64 bytes;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 256);	/* one slot per protocol number */
	__type(key, __u32);
	__type(value, struct proto_stats);
} proto_stats SEC(".maps");

SEC("xdp")
int xdp_count_protocols(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct proto_stats *st;
	__u32 proto;

	if ((void *)(eth + 1) > data_end)
		return XDP_PASS;

	if (eth->h_proto == bpf_htons(ETH_P_IP)) {
		struct iphdr *iph = (void *)(eth + 1);

		if ((void *)(iph + 1) > data_end)
			return XDP_PASS;
		proto = iph->protocol;
	} else if (eth->h_proto == bpf_htons(ETH_P_IPV6)) {
		struct ipv6hdr *ip6h = (void *)(eth + 1);

		if ((void *)(ip6h + 1) > data_end)
			return XDP_PASS;
		proto = ip6h->nexthdr;
	} else {
		return XDP_PASS;
	}

	st = bpf_map_lookup_elem(&proto_stats, &proto);
	if (st) {
		st->packets++;
		st->bytes += data_end - data;
	}
	return XDP_PASS;
}

char _license[] SEC("license") = "GPL";
