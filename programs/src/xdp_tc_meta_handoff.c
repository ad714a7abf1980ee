// SPDX-License-Identifier: GPL-2.0
/*
 * xdp_tc_meta_handoff: an XDP classifier and a tc ingress program that work
 * as a pair. XDP classifies early (here: traffic class from the IPv4 DSCP
 * and whether the packet is TCP) and stores the result in the metadata area
 * in front of the packet with bpf_xdp_adjust_meta(); the metadata survives
 * into the skb, where the tc program reads it through data_meta and sets
 * skb->mark for routing rules and qdiscs, without parsing the packet again.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/in.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#define META_MAGIC	0x6a786470	/* "jxdp": the area really came from us */

/* Must stay a multiple of 4 bytes: the kernel's rule for metadata size. */
struct xdp_meta {
	__u32 magic;
	__u32 mark;
};

SEC("xdp")
int xdp_store_meta(struct xdp_md *ctx)
{
	void *data, *data_end;
	struct xdp_meta *meta;
	struct ethhdr *eth;
	struct iphdr *iph;
	__u32 mark = 0;

	data = (void *)(long)ctx->data;
	data_end = (void *)(long)ctx->data_end;
	eth = data;
	iph = (void *)(eth + 1);
	if ((void *)(iph + 1) <= data_end && eth->h_proto == bpf_htons(ETH_P_IP)) {
		mark = (iph->tos >> 2) << 8;	/* DSCP in bits 8..13 */
		if (iph->protocol == IPPROTO_TCP)
			mark |= 1;
	}

	/* Grow the metadata area; this invalidates all packet pointers. */
	if (bpf_xdp_adjust_meta(ctx, -(int)sizeof(*meta)))
		return XDP_PASS;	/* driver without metadata support */
	data = (void *)(long)ctx->data;
	meta = (void *)(long)ctx->data_meta;
	if ((void *)(meta + 1) > data)
		return XDP_PASS;
	meta->magic = META_MAGIC;
	meta->mark = mark;
	return XDP_PASS;
}

SEC("tc")
int tc_meta_to_mark(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	struct xdp_meta *meta = (void *)(long)skb->data_meta;

	if ((void *)(meta + 1) > data)
		return TC_ACT_OK;	/* no metadata: not classified by XDP */
	if (meta->magic == META_MAGIC)
		skb->mark = meta->mark;
	return TC_ACT_OK;
}

char _license[] SEC("license") = "GPL";
