// SPDX-License-Identifier: GPL-2.0
/*
 * tc_iproute2_dscp_classifier: a cls_bpf classifier for iproute2's tc (not
 * direct-action): it maps the DSCP of IPv4/IPv6 packets to a class id of an
 * HTB/PRIO qdisc through a table, and counts bytes per DSCP.
 *
 *   tc filter add dev eth0 parent 1: bpf obj tc_iproute2_dscp_classifier.o \
 *       sec classifier
 *
 * Maps use iproute2's `struct bpf_elf_map` in the "maps" section; the table
 * is pinned in tc's global namespace so several filters share it.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

/* Same layout as iproute2's include/bpf_elf.h. */
struct bpf_elf_map {
	__u32 type;
	__u32 size_key;
	__u32 size_value;
	__u32 max_elem;
	__u32 flags;
	__u32 id;
	__u32 pinning;
	__u32 inner_id;
	__u32 inner_idx;
};

#define PIN_NONE	0
#define PIN_OBJECT_NS	1
#define PIN_GLOBAL_NS	2

/* DSCP (0..63) -> tc class id (major:minor); 0 means no opinion. */
struct bpf_elf_map SEC("maps") dscp_classid = {
	.type = BPF_MAP_TYPE_ARRAY,
	.size_key = sizeof(__u32),
	.size_value = sizeof(__u32),
	.max_elem = 64,
	.pinning = PIN_GLOBAL_NS,
};

/* DSCP -> bytes classified, per CPU. */
struct bpf_elf_map SEC("maps") dscp_bytes = {
	.type = BPF_MAP_TYPE_PERCPU_ARRAY,
	.size_key = sizeof(__u32),
	.size_value = sizeof(__u64),
	.max_elem = 64,
	.pinning = PIN_NONE,
};

SEC("classifier")
int dscp_classify(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;
	__u32 dscp, *classid;
	__u64 *bytes;

	if ((void *)(eth + 1) > data_end)
		return 0;

	if (eth->h_proto == bpf_htons(ETH_P_IP)) {
		struct iphdr *iph = (void *)(eth + 1);

		if ((void *)(iph + 1) > data_end)
			return 0;
		dscp = iph->tos >> 2;
	} else if (eth->h_proto == bpf_htons(ETH_P_IPV6)) {
		struct ipv6hdr *ip6h = (void *)(eth + 1);

		if ((void *)(ip6h + 1) > data_end)
			return 0;
		/* Traffic class straddles the version and flow label fields. */
		dscp = ((ip6h->priority << 4) | (ip6h->flow_lbl[0] >> 4)) >> 2;
	} else {
		return 0;
	}

	bytes = bpf_map_lookup_elem(&dscp_bytes, &dscp);
	if (bytes)
		*bytes += skb->len;

	classid = bpf_map_lookup_elem(&dscp_classid, &dscp);
	if (!classid || !*classid)
		return -1;	/* the filter's default class id */
	return *classid;
}

char _license[] SEC("license") = "GPL";
