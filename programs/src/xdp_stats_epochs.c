// SPDX-License-Identifier: GPL-2.0
/*
 * xdp_stats_epochs: per-protocol byte counters, double-buffered with a
 * map-in-map so userspace can read a consistent snapshot: the program
 * counts into the inner map that `active_epoch` selects; userspace flips
 * the index, waits for in-flight packets, then reads and clears the other
 * inner map. The outer ARRAY_OF_MAPS is filled at load time from `.values`.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

struct proto_bytes {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 256);	/* IP protocol number */
	__type(key, __u32);
	__type(value, __u64);
} epoch_a SEC(".maps"), epoch_b SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 2);
	__type(key, __u32);
	__array(values, struct proto_bytes);	/* inner map template */
} epochs SEC(".maps") = {
	.values = { &epoch_a, &epoch_b },
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);		/* 0 or 1: index into epochs */
} active_epoch SEC(".maps");

SEC("xdp")
int xdp_count_epoch(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *iph = (void *)(eth + 1);
	__u32 zero = 0, *epoch, proto;
	__u64 *bytes;
	void *inner;

	if ((void *)(iph + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP))
		return XDP_PASS;

	epoch = bpf_map_lookup_elem(&active_epoch, &zero);
	if (!epoch)
		return XDP_PASS;
	inner = bpf_map_lookup_elem(&epochs, epoch);
	if (!inner)
		return XDP_PASS;

	proto = iph->protocol;
	bytes = bpf_map_lookup_elem(inner, &proto);
	if (bytes)
		__sync_fetch_and_add(bytes, bpf_ntohs(iph->tot_len));
	return XDP_PASS;
}

char _license[] SEC("license") = "GPL";
