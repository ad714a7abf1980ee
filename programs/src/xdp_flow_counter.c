// SPDX-License-Identifier: GPL-2.0
/*
 * xdp_flow_counter: per-flow packet and byte accounting keyed by the IPv4
 * 5-tuple. Known flows are updated in place with atomic adds (several CPUs
 * may hit the same flow); new flows are inserted with BPF_NOEXIST so a
 * concurrent insert by another CPU is not overwritten. Packets pass.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/in.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

struct flow_key {
	__be32 saddr;
	__be32 daddr;
	__be16 sport;	/* 0 for protocols without ports */
	__be16 dport;
	__u8 proto;
	__u8 pad[3];	/* keep the padding defined: it is part of the hash key */
};

struct flow_stats {
	__u64 packets;
	__u64 bytes;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, struct flow_key);
	__type(value, struct flow_stats);
} flows SEC(".maps");

SEC("xdp")
int xdp_flow_counter(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *iph = (void *)(eth + 1);
	struct flow_key key = {};
	struct flow_stats *st, fresh;
	__u64 len = data_end - data;

	if ((void *)(iph + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP))
		return XDP_PASS;

	key.saddr = iph->saddr;
	key.daddr = iph->daddr;
	key.proto = iph->protocol;
	if ((iph->protocol == IPPROTO_TCP || iph->protocol == IPPROTO_UDP) &&
	    !(iph->frag_off & bpf_htons(0x1fff))) {
		__be16 *ports = (void *)iph + iph->ihl * 4;

		if ((void *)(ports + 2) <= data_end) {
			key.sport = ports[0];
			key.dport = ports[1];
		}
	}

	st = bpf_map_lookup_elem(&flows, &key);
	if (st) {
		__sync_fetch_and_add(&st->packets, 1);
		__sync_fetch_and_add(&st->bytes, len);
		return XDP_PASS;
	}
	fresh.packets = 1;
	fresh.bytes = len;
	bpf_map_update_elem(&flows, &key, &fresh, BPF_NOEXIST);
	return XDP_PASS;
}

char _license[] SEC("license") = "GPL";
